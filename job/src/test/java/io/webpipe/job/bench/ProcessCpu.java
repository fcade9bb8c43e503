package io.webpipe.job.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time a process has used so far (user + system, its own threads only: {@code utime + stime} of
 * {@code /proc/<pid>/stat}, not its waited-for children), so the bench can charge each process for its work.
 */
public final class ProcessCpu {
    private final long clockTicksPerSecond;

    public ProcessCpu(long clockTicksPerSecond) {
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /** With this machine's clock tick ({@code getconf CLK_TCK}), the unit of the {@code /proc} counters. */
    public static ProcessCpu ofThisMachine() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("getconf CLK_TCK failed: " + out);
            }
            return new ProcessCpu(Long.parseLong(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** CPU seconds process {@code pid} has used so far. */
    public double seconds(long pid) {
        try {
            return seconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid + " (has it exited?)", e);
        }
    }

    /**
     * CPU seconds of each live thread of process {@code pid} by thread id, with its name: where a process's
     * time goes beyond its task threads (JIT compilers, garbage collector, I/O threads).
     */
    public Map<Long, ThreadCpu> threads(long pid) {
        Map<Long, ThreadCpu> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new ThreadCpu(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds(stat)));
                } catch (IOException e) {
                    // The thread ended while the directory was read: its stat is gone (NoSuchFileException) or, when it
                    // ended between open and read, reading fails with ESRCH ("No such process").
                    if (Files.exists(task)) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the threads of process " + pid, e);
        }
        return threads;
    }

    /** A thread's name (as the kernel keeps it: at most 15 characters) and CPU seconds. */
    public record ThreadCpu(String name, double seconds) {}

    /** CPU seconds (utime + stime) from the text of a {@code /proc/<pid>/stat} file. */
    double seconds(String stat) {
        // The command name (field 2) is in parentheses and may itself hold spaces and ')': fields count from the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        return (double) ticks / clockTicksPerSecond;
    }
}
