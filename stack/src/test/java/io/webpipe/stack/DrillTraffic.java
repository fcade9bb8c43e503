package io.webpipe.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic event stream whose sessions are known in advance, for the failure drill: every
 * visitor has a few sessions of one to eight events one second apart, sessions of a visitor far
 * more than the session gap apart, in event-time order. Simple on purpose: the drill checks that a
 * crash loses and doubles nothing; the job's own tests cover out-of-order, late and duplicate input.
 */
final class DrillTraffic {
    static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration EVENT_SPACING = Duration.ofSeconds(1);
    static final Duration SESSION_SPACING = Duration.ofSeconds(30);

    /** One event to send: Kafka key and JSON value. */
    record Event(String visitorId, long timestamp, String json) {}

    /** A session the job must write: its visitor, first event time, and number of events. */
    record Session(String visitorId, Instant start, int eventCount) {}

    final List<Event> events = new ArrayList<>();
    /** visitorId -> its sessions in start order. */
    final Map<String, List<Session>> expected = new TreeMap<>();

    /** The gap must be shorter than {@link #SESSION_SPACING} minus a session's length, and at least {@link #EVENT_SPACING}. */
    DrillTraffic(String prefix, int visitors, int sessionsPerVisitor) {
        for (int v = 0; v < visitors; v++) {
            String visitorId = String.format("%s-%04d", prefix, v);
            for (int s = 0; s < sessionsPerVisitor; s++) {
                long start = BASE.toEpochMilli() + v * 1_500L + s * SESSION_SPACING.toMillis();
                int count = 1 + (v * 7 + s * 3) % 8;
                for (int i = 0; i < count; i++) {
                    long t = start + i * EVENT_SPACING.toMillis();
                    events.add(new Event(visitorId, t, json(visitorId, s, i, t)));
                }
                expected.computeIfAbsent(visitorId, k -> new ArrayList<>())
                        .add(new Session(visitorId, Instant.ofEpochMilli(start), count));
            }
        }
        events.sort(Comparator.comparingLong(Event::timestamp));
    }

    int sessionCount() {
        return expected.values().stream().mapToInt(List::size).sum();
    }

    private static String json(String visitorId, int session, int i, long t) {
        String type = i % 3 == 2 ? "click" : "page_view";
        return String.format("{\"eventId\":\"%s-%d-%d\",\"type\":\"%s\",\"timestamp\":%d,\"visitorId\":\"%s\","
                        + "\"url\":\"https://shop.example/drill/%d\",\"pageTitle\":\"드릴 %d\"}",
                visitorId, session, i, type, t, visitorId, i, i);
    }
}
