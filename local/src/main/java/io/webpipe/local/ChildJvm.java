package io.webpipe.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server main of this module run as its own JVM: output to a log file, stopped with the parent JVM
 * (shutdown hook here, parent-pid watch in the child), ready when the child writes its ready file.
 */
final class ChildJvm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 30;
    private static final int ERROR_LINES = 20;
    private static final Pattern ERROR_LINE = Pattern.compile("ERROR|FATAL|Exception|Caused by|failed");

    private final String name;
    private final Process process;
    private final Path logFile;
    private final long logStart;
    private final Thread shutdownHook;

    private ChildJvm(String name, Process process, Path logFile, long logStart) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.logStart = logStart;
        this.shutdownHook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code mainClass} with {@code args} plus {@code --parent-pid} and {@code --ready-file}, and waits
     * until the child reports ready; returns the child and what it wrote into the ready file.
     */
    static Started start(String name, Class<?> mainClass, List<String> jvmOptions, List<String> args, Path logDir,
            Duration timeout) {
        try {
            Files.createDirectories(logDir);
            Path logFile = logDir.resolve(name + ".log");
            Path readyFile = logDir.resolve(name + ".ready");
            Files.deleteIfExists(readyFile);
            // The log is appended to across restarts; failure reports show only this run's part.
            long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(RuntimeClasspath.get());
            command.add(mainClass.getName());
            command.addAll(args);
            command.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid()),
                    "--ready-file", readyFile.toString()));

            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            ChildJvm child = new ChildJvm(name, process, logFile, logStart);
            LOG.info("Started {} (pid {}), log: {}", name, process.pid(), logFile);
            try {
                return new Started(child, child.awaitReady(readyFile, timeout));
            } catch (RuntimeException e) {
                child.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    record Started(ChildJvm jvm, String readyMessage) {}

    private String awaitReady(Path readyFile, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(readyFile)) {
                return Files.readString(readyFile, StandardCharsets.UTF_8).trim();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready. From " + logFile + ":\n" + logTail());
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s. From " + logFile
                + ":\n" + logTail());
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    /** The error lines of the child's output (its shutdown may bury them) followed by its last lines. */
    String logTail() {
        try {
            byte[] log = Files.readAllBytes(logFile);
            int from = (int) Math.min(logStart, log.length);
            List<String> lines = new String(log, from, log.length - from, StandardCharsets.UTF_8).lines().toList();
            List<String> errors = lines.stream().filter(line -> ERROR_LINE.matcher(line).find()).limit(ERROR_LINES).toList();
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return (errors.isEmpty() ? "" : "Errors:\n" + String.join("\n", errors) + "\n...\n")
                    + "Last lines:\n" + String.join("\n", tail);
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the child (SIGTERM, so it shuts down cleanly and keeps its data consistent) and waits for it. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs stop() anyway
        }
        stop();
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("{} (pid {}) did not stop within {} s; killing it", name, process.pid(), STOP_GRACE.toSeconds());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a child JVM", e);
        }
    }
}
