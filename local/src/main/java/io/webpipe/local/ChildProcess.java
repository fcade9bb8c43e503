package io.webpipe.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one launcher of the project's child processes (the test servers and every part of the local stack): output
 * appended to a log file, stopped with SIGTERM then SIGKILL after a grace period, failures reported with the
 * error lines and the tail of that log. Either {@linkplain #attached attached} (stopped when this JVM exits) or
 * {@linkplain #detached detached} (own session, pid file, so that it outlives this JVM and a later run finds it).
 */
public final class ChildProcess {

    private static final int LOG_TAIL_LINES = 30;
    private static final int ERROR_LINES = 20;
    private static final Pattern ERROR_LINE = Pattern.compile("ERROR|FATAL|Exception|Caused by|failed");
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final Path logFile;
    private final Path outputFile;
    private final Optional<Path> pidFile;
    private final Optional<Path> scratchDir;
    private Process process;
    private List<String> command;
    private Thread shutdownHook;
    private long logStart;
    private long outputStart;

    private ChildProcess(String name, Path logFile, Path outputFile, Optional<Path> pidFile, Optional<Path> scratchDir) {
        this.name = name;
        this.logFile = logFile;
        this.outputFile = outputFile;
        this.pidFile = pidFile;
        this.scratchDir = scratchDir;
    }

    /** A child that this JVM stops when it exits (shutdown hook); output to {@code logDir/<name>.log}. */
    public static ChildProcess attached(String name, Path logDir) {
        Path log = logDir.resolve(name + ".log");
        return new ChildProcess(name, log, log, Optional.empty(), Optional.empty());
    }

    /**
     * A child in its own session (setsid) that outlives this JVM, found again through {@code runDir/<name>.pid}.
     *
     * @param writesOwnLog true for a child that writes {@code logDir/<name>.log} itself (Flink, through
     *     {@code -Dlog.file}); its console output then goes to {@code <name>.out}, so two writers never share a file
     */
    public static ChildProcess detached(String name, Path logDir, Path runDir, boolean writesOwnLog) {
        Path log = logDir.resolve(name + ".log");
        return new ChildProcess(name, log, writesOwnLog ? logDir.resolve(name + ".out") : log,
                Optional.of(runDir.resolve(name + ".pid")), Optional.empty());
    }

    /**
     * This child with a directory of its own for temporary files, emptied before each start: what a killed run left
     * there (a crash skips the process's own clean-up) goes, so restarts after crashes do not fill the disk.
     */
    public ChildProcess withScratchDir(Path dir) {
        return new ChildProcess(name, logFile, outputFile, pidFile, Optional.of(dir));
    }

    /** Its directory for temporary files ({@link #withScratchDir}). */
    public Optional<Path> scratchDir() {
        return scratchDir;
    }

    /** {@code java} of this JVM's runtime, then {@code jvmOptions}, the classpath, the main class and {@code args}. */
    public static List<String> javaCommand(List<String> jvmOptions, String classpath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaBin());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        return command;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    /** The child's log: what {@link #logTail()} reads. */
    public Path logFile() {
        return logFile;
    }

    /** Starts {@code command} unless this child already runs; returns its pid. */
    public synchronized long start(List<String> command) {
        Optional<ProcessHandle> running = handle();
        if (running.isPresent()) {
            return running.get().pid();
        }
        try {
            Files.createDirectories(logFile.getParent());
            if (scratchDir.isPresent()) {
                emptyDirectory(scratchDir.get());
            }
            // The log is appended to across restarts; failure reports show only this run's part.
            logStart = sizeOf(logFile);
            outputStart = sizeOf(outputFile);
            ProcessBuilder builder = new ProcessBuilder(pidFile.isPresent() ? withSetsid(command) : command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            process = builder.start();
            this.command = List.copyOf(command);
            if (pidFile.isPresent()) {
                Files.createDirectories(pidFile.get().getParent());
                Files.writeString(pidFile.get(), Long.toString(process.pid()));
            } else {
                shutdownHook = new Thread(() -> stop(Duration.ofSeconds(30)), "stop-" + name);
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            return process.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + ": " + e.getMessage(), e);
        }
    }

    private static void emptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir);
    }

    /** Starts the command of the last {@link #start} again (a supervisor's restart); false when this JVM never started it. */
    public synchronized boolean restart() {
        if (command == null) {
            return false;
        }
        start(command);
        return true;
    }

    /**
     * The exit status of the process this JVM started, once it has exited: its code, or 128 + the signal that
     * killed it (137 for SIGKILL). Empty while it runs or when another JVM started it.
     */
    public synchronized OptionalInt exitCode() {
        return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    private static List<String> withSetsid(List<String> command) {
        List<String> detached = new ArrayList<>(List.of("setsid"));
        detached.addAll(command);
        return detached;
    }

    /** The live process: the one this JVM started, else the one the pid file names. */
    public Optional<ProcessHandle> handle() {
        if (process != null) {
            // Process.isAlive, not the handle's: the handle sees the exit before the JDK has reaped the child, and until
            // then exitValue() (in failure reports) throws "process hasn't exited".
            return process.isAlive() ? Optional.of(process.toHandle()) : Optional.empty();
        }
        if (pidFile.isEmpty() || !Files.exists(pidFile.get())) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile.get()).trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isRunning() {
        return handle().isPresent();
    }

    /** The pid of the process this JVM started, else of the live one; -1 when there is none. */
    public long pid() {
        return process != null ? process.pid() : handle().map(ProcessHandle::pid).orElse(-1L);
    }

    /**
     * Polls {@code ready} until it holds; fails with {@link #notReady} when the child exits first or
     * {@code timeout} passes.
     */
    public void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            failIfDeadOrLate(deadline, timeout);
            sleep(POLL);
        }
    }

    /** Throws {@link #notReady} when the child has exited, or when {@code deadline} ({@link System#nanoTime}) passed. */
    public void failIfDeadOrLate(long deadline, Duration timeout) {
        if (!isRunning()) {
            throw notReady("exited" + (process != null ? " with code " + process.exitValue() : "") + " before it was ready");
        }
        if (System.nanoTime() > deadline) {
            throw notReady("was not ready within " + timeout.toSeconds() + " s");
        }
    }

    /** "{@code <name> <why>}. From {@code <log>}:" followed by {@link #logTail()}. */
    public IllegalStateException notReady(String why) {
        return new IllegalStateException(name + " " + why + ". From " + logFile + ":\n" + logTail());
    }

    /**
     * The error lines of this run's log (a shutdown may bury them) followed by its last lines; for a child that
     * writes its own log, also the last lines of its console (what it printed before its logging started).
     */
    public String logTail() {
        String tail = tail(logFile, logStart);
        return outputFile.equals(logFile) ? tail : tail + "\nFrom " + outputFile + ":\n" + tail(outputFile, outputStart);
    }

    private static String tail(Path file, long start) {
        if (!Files.exists(file)) {
            return "(no " + file.getFileName() + ")";
        }
        try {
            byte[] log = Files.readAllBytes(file);
            int from = (int) Math.min(start, log.length);
            List<String> lines = new String(log, from, log.length - from, StandardCharsets.UTF_8).lines().toList();
            List<String> errors = lines.stream().filter(line -> ERROR_LINE.matcher(line).find()).limit(ERROR_LINES).toList();
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return (errors.isEmpty() ? "" : "Errors:\n" + String.join("\n", errors) + "\n...\n")
                    + "Last lines:\n" + String.join("\n", tail);
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /**
     * SIGTERM to the child and its descendants (so servers shut down cleanly and keep their data consistent), then
     * SIGKILL after {@code grace}; removes the pid file. Returns whether it was running.
     */
    public synchronized boolean stop(Duration grace) {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook stops the child anyway
            }
        }
        return terminate(true, grace);
    }

    /**
     * SIGTERM to this process alone, not its descendants, then SIGKILL after {@code grace}; removes the pid file.
     * For a process whose children must outlive it (a supervisor). Returns whether it was running.
     */
    public synchronized boolean terminateAlone(Duration grace) {
        return terminate(false, grace);
    }

    private boolean terminate(boolean withDescendants, Duration grace) {
        Optional<ProcessHandle> running = handle();
        running.ifPresent(p -> {
            if (withDescendants) {
                p.descendants().forEach(ProcessHandle::destroy);
            }
            p.destroy();
            try {
                p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception notInTime) {
                if (withDescendants) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                }
                p.destroyForcibly();
                p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
            }
        });
        pidFile.ifPresent(file -> file.toFile().delete());
        return running.isPresent();
    }

    /** Kills the child at once, as a crash would (the failure drills). */
    public void kill() {
        handle().ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Resident memory in MiB, from /proc (Linux). */
    public Optional<Long> rssMib() {
        return handle().flatMap(p -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Optional.of(Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // the process just exited
            }
            return Optional.empty();
        });
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a child process", e);
        }
    }
}
