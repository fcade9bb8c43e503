package io.webpipe.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The savepoints folder: {@code down} writes the job's savepoint there, {@code up} restores the newest. */
final class Savepoints {
    private Savepoints() {}

    /** The newest complete savepoint in {@code dir}, if any. */
    static Optional<Path> latest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(dir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("savepoint-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(d -> d.resolve("_metadata").toFile().lastModified()));
        }
    }
}
