package io.webpipe.stack;

import io.webpipe.config.UrlCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Standard output or error with {@link UrlCredentials} applied to each line, so that nothing the stack
 * prints (its report, the URLs it passes on, error messages, log tails of its parts, stack traces) shows
 * a password. A line is written when it ends or on {@code flush} (progress dots).
 */
final class MaskedConsole extends OutputStream {
    private static final Charset CHARSET = Charset.defaultCharset();

    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    MaskedConsole(OutputStream target) {
        this.target = target;
    }

    /** Replaces {@link System#out} and {@link System#err}: the first thing a main of the stack does. */
    static void install() {
        System.setOut(wrap(System.out));
        System.setErr(wrap(System.err));
    }

    static PrintStream wrap(OutputStream target) {
        return new PrintStream(new MaskedConsole(target), false, CHARSET);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            flush();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (line.size() > 0) {
            target.write(UrlCredentials.mask(line.toString(CHARSET)).getBytes(CHARSET));
            line.reset();
        }
        target.flush();
    }
}
