package io.webpipe.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * The one log rotation of every part ({@code log.*} of {@code webpipe-stack.properties}), handed to each in the
 * form it reads: the system properties {@code webpipe.log.*} that the log4j2 configurations of the Flink processes
 * ({@code flink-conf/log4j.properties}) and of Kafka and Elasticsearch ({@code child-log4j2.properties} of the local
 * module) read, and the API's own {@code --log.*} settings (which its {@code LogFiles} turns into the same
 * properties). Each part writes {@code <dir>/<name>.log}, rolled to {@code <name>-<date>-<n>.log[.gz]}.
 */
record LogPolicy(String maxSize, int keep, boolean compress) {

    /**
     * The JVM flags of a part that logs through log4j2 as {@code name} into {@code dir} ({@code appender=rolling}:
     * Kafka and Elasticsearch log to the console unless told so).
     */
    List<String> jvmOptions(Path dir, String name) {
        return List.of("-Dwebpipe.log.appender=rolling", "-Dwebpipe.log.dir=" + dir, "-Dwebpipe.log.name=" + name, "-Dwebpipe.log.max-size=" + maxSize,
                "-Dwebpipe.log.keep=" + keep, "-Dwebpipe.log.archive-suffix=" + (compress ? ".gz" : ""));
    }

    /** The API's settings for the same policy, its logs in {@code dir}. */
    List<String> apiArguments(Path dir) {
        return List.of("--log.dir", dir.toString(), "--log.max-size", maxSize, "--log.keep", Integer.toString(keep),
                "--log.compress", Boolean.toString(compress));
    }
}
