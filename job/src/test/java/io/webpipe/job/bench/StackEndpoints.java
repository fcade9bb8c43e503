package io.webpipe.job.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a running local stack answers, from {@code --kafka HOST:PORT --flink URL --elasticsearch URL --home DIR}
 * (the ports and {@code --stack.home} it was started with): the scale tools run against any stack, never the default
 * ports by accident.
 */
record StackEndpoints(String kafka, String flink, String elasticsearch, Path home) {

    static StackEndpoints parse(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --key value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("no value for " + args[args.length - 1]);
        }
        return new StackEndpoints(required(options, "kafka"), required(options, "flink"), required(options, "elasticsearch"),
                Path.of(required(options, "home")));
    }

    /** The TaskManager's pid as the stack's supervisor records it ({@code run/taskmanager.pid}). */
    Path taskManagerPidFile() {
        return home.resolve("run").resolve("taskmanager.pid");
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + key + " (usage: --kafka HOST:PORT --flink URL --elasticsearch URL --home DIR)");
        }
        return value;
    }
}
