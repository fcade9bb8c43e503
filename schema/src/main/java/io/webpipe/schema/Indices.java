package io.webpipe.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Names of the Elasticsearch aliases and their index templates. The job writes and the API
 * reads only through these aliases; the concrete indices behind them are versioned
 * ({@code web-sessions_v1}, ...) so they can be rebuilt and switched without downtime.
 */
public final class Indices {
    /** Read and write alias of the session documents. */
    public static final String SESSIONS = "web-sessions";

    private Indices() {}

    /** The first versioned index behind an alias, created when the alias does not exist yet. */
    public static String firstVersion(String alias) {
        return alias + "_v1";
    }

    /** The index-template body (index_patterns, settings, mappings) for an alias. */
    public static String template(String alias) {
        String resource = alias + ".template.json";
        try (InputStream in = Indices.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no index template for alias '" + alias + "'");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
