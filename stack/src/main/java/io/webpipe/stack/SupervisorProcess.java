package io.webpipe.stack;

import io.webpipe.local.ChildProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The detached supervisor of {@code ./webpipe up}: a {@code StackCli supervise} process (pid file
 * {@code run/supervisor.pid}, log {@code logs/supervisor.log}) that starts every part as its own child, so that it
 * sees each one's exit status and restarts it, and that outlives the command that launched it.
 */
final class SupervisorProcess {
    private static final Duration POLL = Duration.ofMillis(200);

    private final StackLayout layout;
    private final ChildProcess process;

    SupervisorProcess(StackLayout layout) {
        this.layout = layout;
        this.process = StackParts.detached(layout, "supervisor", false);
    }

    boolean isRunning() {
        return process.isRunning();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Starts {@code StackCli supervise settings} with this JVM's classpath and prints its log until it reports the
     * stack up (true) or failed, or exits (false).
     */
    boolean launchAndFollow(List<String> settings) throws IOException, InterruptedException {
        Files.deleteIfExists(Supervision.file(layout));
        Files.createDirectories(layout.logDir());
        long printed = Files.exists(process.logFile()) ? Files.size(process.logFile()) : 0;
        List<String> args = new ArrayList<>(List.of("supervise"));
        args.addAll(settings);
        process.start(ChildProcess.javaCommand(List.of(), System.getProperty("java.class.path"), StackCli.class.getName(), args));
        while (true) {
            Thread.sleep(POLL.toMillis());
            printed = printFrom(process.logFile(), printed);
            Optional<String> phase = Supervision.read(layout).map(Supervision::phase);
            if (phase.equals(Optional.of(Supervision.UP))) {
                return true;
            }
            if (phase.equals(Optional.of(Supervision.FAILED)) || !process.isRunning()) {
                // It exits right after its last words; stopping it waits for that and removes its pid file.
                process.stop(Duration.ofSeconds(30));
                printFrom(process.logFile(), printed);
                return false;
            }
        }
    }

    /** Prints what {@code file} has past {@code offset}; returns the new offset. */
    private static long printFrom(Path file, long offset) throws IOException {
        if (!Files.exists(file)) {
            return offset;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] fresh = new byte[(int) Math.max(0, in.length() - offset)];
            in.seek(offset);
            in.readFully(fresh);
            System.out.print(new String(fresh, StandardCharsets.UTF_8));
            System.out.flush();
            return offset + fresh.length;
        }
    }

    /** SIGTERM to the supervisor alone: it stops watching and exits, its parts keep running for {@code down}. */
    boolean stop() {
        return process.terminateAlone(Duration.ofSeconds(30));
    }
}
