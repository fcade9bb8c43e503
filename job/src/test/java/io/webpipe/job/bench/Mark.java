package io.webpipe.job.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The child side of a bench process: announces a point of its run on stdout and waits until the bench
 * has read every process's CPU time there ({@link Forked#awaitMark}), so the measured spans start and end
 * exactly at these points and not whenever the parent happens to look.
 */
final class Mark {
    static final String PREFIX = "BENCH-MARK ";
    private static final BufferedReader PARENT = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private Mark() {}

    /** Announces {@code what} (a name, then optional values) and blocks until the bench resumes this process. */
    static synchronized void reached(String what) {
        System.out.println(PREFIX + what);
        System.out.flush();
        try {
            if (PARENT.readLine() == null) {
                // The bench is gone: nobody would stop this process otherwise.
                Runtime.getRuntime().halt(3);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
