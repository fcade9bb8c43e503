package io.webpipe.job.bench;

import io.webpipe.job.session.SessionDocuments;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The practical limit: sessions in one thread over decoded events in memory, with the job's rules and the
 * job's document code ({@link SessionDocuments}). Events arrive in stream order (disordered up to the
 * watermark's out-of-orderness); a visitor's events are kept until event time passes its latest event
 * plus gap plus allowed lateness (when the job purges its windows), then split at gaps over {@code gap}.
 * No state backend, no serializers, no network: what the job's work costs without a framework.
 */
final class PlainSessionizer {
    /** How often (in events) visitors are checked for being final: often enough to keep memory small. */
    private static final int SWEEP_EVERY = 4096;

    private final long gapMs;
    private final long finalAfterMs;
    private final long outOfOrdernessMs;
    private final SessionDocuments documents;
    private final Consumer<SessionDocument> out;
    private final Map<String, Visitor> open = new HashMap<>();
    private long maxTimestamp = Long.MIN_VALUE;
    private long count;

    private static final class Visitor {
        final List<WebEvent> events = new ArrayList<>();
        long latest = Long.MIN_VALUE;
    }

    PlainSessionizer(Duration gap, Duration allowedLateness, Duration outOfOrderness, SessionDocuments documents,
            Consumer<SessionDocument> out) {
        this.gapMs = gap.toMillis();
        this.finalAfterMs = gap.plus(allowedLateness).toMillis();
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.documents = documents;
        this.out = out;
    }

    void accept(WebEvent event) {
        Visitor visitor = open.computeIfAbsent(event.visitorId, v -> new Visitor());
        visitor.events.add(event);
        visitor.latest = Math.max(visitor.latest, event.timestamp);
        maxTimestamp = Math.max(maxTimestamp, event.timestamp);
        if (++count % SWEEP_EVERY == 0) {
            long watermark = maxTimestamp - outOfOrdernessMs;
            for (Iterator<Visitor> it = open.values().iterator(); it.hasNext(); ) {
                Visitor v = it.next();
                if (v.latest + finalAfterMs < watermark) {
                    emit(v);
                    it.remove();
                }
            }
        }
    }

    /** End of input: every session is final. */
    void finish() {
        open.values().forEach(this::emit);
        open.clear();
    }

    private void emit(Visitor visitor) {
        List<WebEvent> ordered = distinctInOrder(visitor.events);
        int from = 0;
        for (int i = 1; i <= ordered.size(); i++) {
            if (i == ordered.size() || ordered.get(i).timestamp - ordered.get(i - 1).timestamp > gapMs) {
                out.accept(documents.build(ordered.subList(from, i), Instant.now()));
                from = i;
            }
        }
    }

    /** The events in event order (event time, then eventId), each eventId once: a redelivered event counts once. */
    private static List<WebEvent> distinctInOrder(Iterable<WebEvent> events) {
        List<WebEvent> sorted = new ArrayList<>();
        events.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong((WebEvent e) -> e.timestamp).thenComparing(e -> e.eventId));
        Set<String> seen = new HashSet<>();
        List<WebEvent> distinct = new ArrayList<>(sorted.size());
        for (WebEvent e : sorted) {
            if (seen.add(e.eventId)) {
                distinct.add(e);
            }
        }
        return distinct;
    }
}
