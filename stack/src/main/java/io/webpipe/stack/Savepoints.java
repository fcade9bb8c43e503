package io.webpipe.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The states a job can restore: savepoints ({@code down} writes one into the savepoints folder, {@code up} restores
 * the newest) and the checkpoints Flink retains ({@code <checkpoints>/<job id>/chk-<n>}; restored after a JobManager
 * restart, since the standalone cluster has no high availability).
 */
final class Savepoints {
    private static final String METADATA = "_metadata";

    private Savepoints() {}

    /** The newest complete savepoint in {@code dir}, if any. */
    static Optional<Path> latest(Path dir) throws IOException {
        return newestComplete(dir, 1, "savepoint-");
    }

    /** The newest complete savepoint in {@code savepoints} or checkpoint in {@code checkpoints}, if any. */
    static Optional<Path> latestRestorePoint(Path savepoints, Path checkpoints) throws IOException {
        return Stream.concat(latest(savepoints).stream(), newestComplete(checkpoints, 2, "chk-").stream())
                .max(Comparator.comparingLong(Savepoints::completedAt));
    }

    /** A checkpoint or savepoint is complete once its metadata file is written, which Flink does last. */
    private static Optional<Path> newestComplete(Path dir, int depth, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.walk(dir, depth)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(prefix))
                    .filter(d -> Files.exists(d.resolve(METADATA)))
                    .max(Comparator.comparingLong(Savepoints::completedAt));
        }
    }

    private static long completedAt(Path restorePoint) {
        return restorePoint.resolve(METADATA).toFile().lastModified();
    }
}
