package io.webpipe.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What the supervisor writes to {@code run/supervisor.json} and {@code ./webpipe status} reads: the phase of the
 * stack ({@link #STARTING}, {@link #UP}, {@link #FAILED}, {@link #STOPPED}), the supervisor's pid, the reason of a
 * failed start, and each part's record.
 */
record Supervision(String phase, long pid, String message, List<Part> parts) {
    static final String STARTING = "starting";
    static final String UP = "up";
    static final String FAILED = "failed";
    static final String STOPPED = "stopped";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One part: its pid, {@code state} ("running", "restarting", "given up"), restarts so far, the reason and time
     * (ISO-8601) of its last exit, and since when the current process runs.
     */
    record Part(String name, long pid, String state, int restarts, String lastExit, String lastExitAt, String since) {}

    static Path file(StackLayout layout) {
        return layout.runDir().resolve("supervisor.json");
    }

    static Optional<Supervision> read(StackLayout layout) {
        Path file = file(layout);
        try {
            return Files.exists(file) ? Optional.of(JSON.readValue(file.toFile(), Supervision.class)) : Optional.empty();
        } catch (IOException e) {
            // Written atomically, so unreadable means another format: as good as absent.
            return Optional.empty();
        }
    }

    Optional<Part> part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Written to a temporary file and moved, so that a reader never sees half of it. */
    void write(StackLayout layout) {
        Path file = file(layout);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), this);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
