package io.webpipe.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Static files served from the classpath (the tracker script, the OpenAPI document). */
public final class Resources {
    private Resources() {}

    public static byte[] read(String name) {
        try (InputStream in = Resources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
