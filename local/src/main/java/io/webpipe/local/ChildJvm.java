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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server main of this module run as its own JVM: output to a log file, stopped with the parent JVM
 * (shutdown hook here, parent-pid watch in the child), ready when the child writes its ready file.
 */
final class ChildJvm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 60;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
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
            ChildJvm child = new ChildJvm(name, process, logFile);
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
                        + " before it was ready. Last lines of " + logFile + ":\n" + logTail());
            }
            sleep(100);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s. Last lines of "
                + logFile + ":\n" + logTail());
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
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
