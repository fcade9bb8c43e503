package io.webpipe.job.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A measured part of the bench in a JVM of its own (same classpath), so that its CPU time is its own:
 * its stdout is echoed, except the {@link Mark}s it stops at.
 */
final class Forked implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final OutputStream in;

    private Forked(String name, Process process) {
        this.name = name;
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = process.getOutputStream();
    }

    static Forked start(String name, List<String> jvmOptions, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        try {
            return new Forked(name, new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Echoes output until the next mark and returns it (its name, then values); the child waits until {@link #resume}. */
    String awaitMark() throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(Mark.PREFIX)) {
                return line.substring(Mark.PREFIX.length());
            }
            System.out.println("    [" + name + "] " + line);
        }
        throw new IllegalStateException(name + " ended (exit " + waitFor() + ") before its next mark");
    }

    /** Awaits the mark named {@code expected}, failing on any other. */
    String[] awaitMark(String expected) throws IOException {
        String[] mark = awaitMark().split(" ");
        if (!mark[0].equals(expected)) {
            throw new IllegalStateException(name + ": expected mark " + expected + ", got " + String.join(" ", mark));
        }
        return mark;
    }

    void resume() throws IOException {
        in.write('\n');
        in.flush();
    }

    /** Echoes the rest of the output and waits for the exit; fails unless it is 0. */
    void finish() throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            System.out.println("    [" + name + "] " + line);
        }
        int exit = waitFor();
        if (exit != 0) {
            throw new IllegalStateException(name + " exited with " + exit);
        }
    }

    private int waitFor() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
