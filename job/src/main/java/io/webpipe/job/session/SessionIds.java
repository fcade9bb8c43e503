package io.webpipe.job.session;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic session ids: the same events always give the same id, so replays and retries
 * overwrite the same Elasticsearch document instead of adding one.
 */
public final class SessionIds {
    private SessionIds() {}

    /** A name-based UUID of the visitor, the session start and its first event. */
    public static String of(String visitorId, long start, String firstEventId) {
        String name = visitorId + '\n' + start + '\n' + firstEventId;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
