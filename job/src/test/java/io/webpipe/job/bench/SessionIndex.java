package io.webpipe.job.bench;

import io.webpipe.schema.Indices;
import java.io.IOException;

/** Counts of the session documents behind the stack's {@code web-sessions} alias, as searches see them. */
final class SessionIndex {
    private final JsonHttp http;
    private final String elasticsearch;

    SessionIndex(JsonHttp http, String elasticsearch) {
        this.http = http;
        this.elasticsearch = elasticsearch;
    }

    long count() throws IOException {
        return count("{\"match_all\":{}}");
    }

    long live() throws IOException {
        return count("{\"term\":{\"live\":true}}");
    }

    /** Documents written after {@code epochMs} (their {@code updatedAt}, the job's wall clock at writing). */
    long updatedAfter(long epochMs) throws IOException {
        return count("{\"range\":{\"updatedAt\":{\"gt\":" + epochMs + "}}}");
    }

    private long count(String query) throws IOException {
        return http.post(elasticsearch + "/" + Indices.SESSIONS + "/_count", "{\"query\":" + query + "}").path("count").asLong();
    }
}
