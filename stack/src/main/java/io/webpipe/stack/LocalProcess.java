package io.webpipe.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One part of the local stack running as its own OS process, detached from the launcher
 * (own session via setsid, output to a log file, pid in a pid file) so that it outlives
 * {@code ./webpipe up} and is stopped later by process id.
 */
public final class LocalProcess {
    private final String name;
    private final Path pidFile;
    private final Path logFile;
    private final Path outputFile;

    /** A part whose console output is its log: {@code logs/<name>.log}. */
    public LocalProcess(StackLayout layout, String name) {
        this(layout, name, false);
    }

    /**
     * @param writesOwnLog true for a part that writes {@code logs/<name>.log} itself (the Flink
     *     processes, through {@code -Dlog.file}); its console output then goes to {@code <name>.out},
     *     as with Flink's own scripts, so that two writers never share one file
     */
    public LocalProcess(StackLayout layout, String name, boolean writesOwnLog) {
        this.name = name;
        this.pidFile = layout.runDir().resolve(name + ".pid");
        this.logFile = layout.logDir().resolve(name + ".log");
        this.outputFile = writesOwnLog ? layout.logDir().resolve(name + ".out") : logFile;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** Starts the command unless this part is already running; returns its pid. */
    public long start(List<String> command, Map<String, String> env) {
        Optional<ProcessHandle> running = handle();
        if (running.isPresent()) {
            return running.get().pid();
        }
        List<String> detached = new ArrayList<>();
        detached.add("setsid");
        detached.addAll(command);
        try {
            Files.createDirectories(pidFile.getParent());
            Files.createDirectories(logFile.getParent());
            ProcessBuilder pb = new ProcessBuilder(detached)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process process = pb.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            return process.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** The live process, if its pid file names one that still runs. */
    public Optional<ProcessHandle> handle() {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isRunning() {
        return handle().isPresent();
    }

    /** SIGTERM, then SIGKILL after the grace period; removes the pid file. */
    public boolean stop(Duration grace) {
        Optional<ProcessHandle> h = handle();
        h.ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                p.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception timeout) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file only makes the next status look up a dead pid
        }
        return h.isPresent();
    }

    /** Kills the process at once, as a crash would (used by the failure drill). */
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
                // process just exited
            }
            return Optional.empty();
        });
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }
}
