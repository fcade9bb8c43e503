package io.webpipe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.JobConfig;
import io.webpipe.job.JobSinks;
import io.webpipe.job.SessionJob;
import io.webpipe.job.e2e.TestJob;
import io.webpipe.job.session.LateEvent;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.source.DeadLetter;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.PageDocument;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole pipeline of {@link SessionJob} on a MiniCluster, fed raw {@code web-log} records from memory and
 * writing into collecting sinks: the behaviour that does not need a real Kafka or Elasticsearch, in seconds.
 * Lateness depends on how watermarks interleave with records, so it is covered by the operator harness
 * tests instead ({@code SessionizeTest}, {@code GuardSessionsTest}).
 */
class SessionPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJob.miniCluster();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-11-25T00:00:00Z").toEpochMilli();
    private static final long GAP = 30 * 60_000L;

    @Test
    void eventsExactlyTheGapApartAreOneSessionAndOneMillisecondMoreAreTwo() throws Exception {
        Output out = run(List.of(
                click("a1", "a", T0), click("a2", "a", T0 + GAP),
                click("b1", "b", T0), click("b2", "b", T0 + GAP + 1)));

        assertThat(out.sessionsOf("a")).singleElement().satisfies(s -> assertThat(s.eventCount).isEqualTo(2));
        assertThat(out.sessionsOf("b")).hasSize(2);
        assertThat(out.deadLetters).isEmpty();
    }

    @Test
    void aRedeliveredEventCountsOnceInItsSessionAndItsPage() throws Exception {
        String view = pageView("e1", "v", T0, "https://shop.example/a");
        Output out = run(List.of(view, view, pageView("e2", "w", T0 + 1, "https://shop.example/a"), view));

        assertThat(out.sessionsOf("v")).singleElement().satisfies(s -> {
            assertThat(s.eventCount).isEqualTo(1);
            assertThat(s.pageViews).isEqualTo(1);
        });
        assertThat(out.pages.values()).singleElement().satisfies(p -> {
            assertThat(p.views).isEqualTo(2);
            assertThat(p.visitors).isEqualTo(2);
        });
    }

    /**
     * What a public collector endpoint, or anyone who can write to the topic, may send: each kind either
     * ends in a session, in the dead letters with a reason, or in the late events with a reason; the
     * pipeline finishes (a failure would fail {@code execute}) and the good traffic comes out exact.
     */
    @Test
    void hostileInputNeverStopsThePipelineAndEveryRecordIsAccountedFor() throws Exception {
        List<byte[]> records = new ArrayList<>();
        List<String> refusedKinds = new ArrayList<>();
        Map<Integer, String> refused = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> kind : HostileRecords.refused(T0).entrySet()) {
            refused.put(records.size(), kind.getKey());
            refusedKinds.add(kind.getKey());
            records.add(kind.getValue());
        }
        List<byte[]> accepted = HostileRecords.accepted(T0);
        records.addAll(accepted);
        List<String> good = List.of(
                pageView("g1", "good", T0, "https://shop.example/"),
                click("g2", "good", T0 + 1_000),
                pageView("g3", "good", T0 + 60_000, "https://shop.example/cart"));
        good.forEach(r -> records.add(r.getBytes(StandardCharsets.UTF_8)));

        Output out = run(records, "--session.max-events", "2000");

        // Every refused kind is a dead letter of its own offset, with a reason.
        Map<Long, DeadLetter> byOffset = out.deadLetters.stream().collect(Collectors.toMap(d -> d.offset, d -> d));
        refused.forEach((offset, kind) -> assertThat(byOffset.get((long) offset))
                .as("dead letter of '%s'", kind).isNotNull()
                .satisfies(d -> assertThat(d.reason).isNotBlank()));
        assertThat(out.deadLetters).hasSize(refused.size());
        assertThat(refusedKinds.size() + HostileRecords.ACCEPTED_KINDS).isGreaterThanOrEqualTo(40);

        // Every accepted event is in exactly one session of its visitor, or set aside with a reason.
        Map<String, Set<String>> acceptedIds = HostileRecords.distinctEventIdsByVisitor(accepted);
        acceptedIds.forEach((visitor, ids) -> {
            int inSessions = out.sessionsOf(visitor).stream().mapToInt(s -> s.eventCount).sum();
            long aside = out.late.stream().filter(l -> l.event.visitorId.equals(visitor)).count();
            assertThat(inSessions + aside).as("events of visitor %s", visitor).isEqualTo(ids.size());
        });
        assertThat(out.late).allSatisfy(l -> assertThat(l.reason).startsWith("over the session limit"));
        assertThat(out.sessionsOf(HostileRecords.BOT)).singleElement()
                .satisfies(s -> assertThat(s.eventCount).isEqualTo(2000));
        assertThat(out.sessionsOf(HostileRecords.TYPE_BOMB)).singleElement().satisfies(s -> {
            assertThat(s.eventCount).isEqualTo(HostileRecords.TYPE_BOMB_EVENTS);
            assertThat(s.eventTypes).hasSize(EventContract.MAX_SESSION_EVENT_TYPES);
        });

        // The good traffic, exactly.
        assertThat(out.sessionsOf("good")).singleElement().satisfies(s -> {
            assertThat(s.start).isEqualTo("2026-11-25T00:00:00Z");
            assertThat(s.end).isEqualTo("2026-11-25T00:01:00Z");
            assertThat(s.eventCount).isEqualTo(3);
            assertThat(s.pageViews).isEqualTo(2);
            assertThat(s.pages).containsExactly("https://shop.example/", "https://shop.example/cart");
            assertThat(s.bounce).isFalse();
        });
        // Every document fits the documented maximum.
        assertThat(out.sessionJson.values()).allSatisfy(json ->
                assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThan(EventContract.MAX_DOCUMENT_BYTES));
    }

    /**
     * An unbounded run in miniature: the input holds before its last record until the test has seen the open
     * session's live document and the open minute in its page's recent views, then ends, which closes the
     * session. The sinks see every write in order: the live document, then the final one, under one id.
     */
    @Test
    void anOpenSessionIsWrittenLiveThenReplacedByItsFinalDocument() throws Exception {
        JobConfig config = JobConfig.load(Map.of(), "--checkpoint.interval", "0", "--parallelism", "1",
                "--session.live-interval", "200ms", "--pages.flush-interval", "200ms",
                // Also how far behind the clock a window may end and still be written early: ample for a slow start.
                "--watermark.out-of-orderness", "1min");
        CollectingSink<DocumentWrite> sessions = new CollectingSink<>();
        CollectingSink<DocumentWrite> pages = new CollectingSink<>();
        // Now by the wall clock: only current windows fire early.
        long minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        List<byte[]> records = List.of(
                pageView("l1", "live", minute, "https://shop.example/a").getBytes(StandardCharsets.UTF_8),
                click("l2", "live", minute + 1_000).getBytes(StandardCharsets.UTF_8),
                click("last", "other", minute + 2_000).getBytes(StandardCharsets.UTF_8));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SessionJob.build(env, config, InMemoryWebLog.of(records),
                new JobSinks(sessions, pages, new CollectingSink<>(), new CollectingSink<>()),
                events -> events.map(new HoldBefore("last")).name("hold before the last event").uid("hold-before-last"));
        HoldBefore.GATE.set(new CountDownLatch(1));
        JobClient job = env.executeAsync("live sessions");
        try {
            await("a live session and the open minute's page views").atMost(Duration.ofSeconds(60)).until(() -> {
                Output out = new Output(sessions.values(), pages.values(), List.of(), List.of());
                return out.sessionsOf("live").stream().anyMatch(doc -> doc.live && doc.eventCount == 2)
                        && out.pages.values().stream().anyMatch(page -> page.recentViews.size() == 1
                                && page.recentViews.get(0).views == 1
                                && page.recentViews.get(0).minute.equals(Instant.ofEpochMilli(minute).toString()));
            });
        } finally {
            HoldBefore.GATE.get().countDown();
        }
        job.getJobExecutionResult().get();

        // Replayed write by write, as Elasticsearch would apply them: one document of the session throughout.
        Map<String, SessionDocument> documents = new TreeMap<>();
        List<String> states = new ArrayList<>();
        for (DocumentWrite w : sessions.values()) {
            SessionDocument doc = JSON.readValue(w.json, SessionDocument.class);
            if (doc.visitorId.equals("live")) {
                assertThat(w.action).isEqualTo(DocumentWrite.Action.UPSERT);
                documents.put(w.id, doc);
                assertThat(documents).hasSize(1);
                states.add(doc.live ? "live" : "final");
            }
        }
        assertThat(states).startsWith("live").endsWith("final").containsOnlyOnce("final");
        assertThat(documents.values()).singleElement().satisfies(doc -> {
            assertThat(doc.live).isFalse();
            assertThat(doc.eventCount).isEqualTo(2);
        });
    }

    /**
     * Holds the input before the event {@code eventId} until {@link #GATE} opens: a static latch, because the
     * MiniCluster runs in the test JVM and gets a copy of the function.
     */
    private static final class HoldBefore implements MapFunction<WebEvent, WebEvent> {
        static final AtomicReference<CountDownLatch> GATE = new AtomicReference<>();
        private final String eventId;

        HoldBefore(String eventId) {
            this.eventId = eventId;
        }

        @Override
        public WebEvent map(WebEvent event) throws InterruptedException {
            if (event.eventId.equals(eventId)) {
                GATE.get().await();
            }
            return event;
        }
    }

    private static Output run(List<?> records, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--checkpoint.interval", "0", "--parallelism", "1"));
        all.addAll(List.of(args));
        JobConfig config = JobConfig.load(Map.of(), all.toArray(String[]::new));
        CollectingSink<DocumentWrite> sessions = new CollectingSink<>();
        CollectingSink<DocumentWrite> pages = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        CollectingSink<LateEvent> late = new CollectingSink<>();
        List<byte[]> values = records.stream()
                .map(r -> r instanceof String ? ((String) r).getBytes(StandardCharsets.UTF_8) : (byte[]) r)
                .collect(Collectors.toList());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SessionJob.build(env, config, InMemoryWebLog.of(values), new JobSinks(sessions, pages, deadLetters, late));
        env.execute("session pipeline test");
        return new Output(sessions.values(), pages.values(), deadLetters.values(), late.values());
    }

    /**
     * What the sinks received, with the document writes applied in order as Elasticsearch would: where a session
     * was also written live before it closed, the last write of its id (the final document) is what counts.
     */
    private static final class Output {
        final Map<String, String> sessionJson = new TreeMap<>();
        final Map<String, SessionDocument> sessions = new TreeMap<>();
        final Map<String, PageDocument> pages = new HashMap<>();
        final List<DeadLetter> deadLetters;
        final List<LateEvent> late;

        Output(List<DocumentWrite> sessionWrites, List<DocumentWrite> pageWrites, List<DeadLetter> deadLetters, List<LateEvent> late)
                throws Exception {
            for (DocumentWrite w : sessionWrites) {
                if (w.action == DocumentWrite.Action.UPSERT) {
                    sessionJson.put(w.id, w.json);
                    sessions.put(w.id, JSON.readValue(w.json, SessionDocument.class));
                } else {
                    sessionJson.remove(w.id);
                    sessions.remove(w.id);
                }
            }
            for (DocumentWrite w : pageWrites) {
                pages.put(w.id, JSON.readValue(w.json, PageDocument.class));
            }
            this.deadLetters = deadLetters;
            this.late = late;
        }

        List<SessionDocument> sessionsOf(String visitor) {
            return sessions.values().stream().filter(s -> s.visitorId.equals(visitor)).collect(Collectors.toList());
        }
    }

    static String click(String eventId, String visitor, long t) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"click\",\"timestamp\":" + t + ",\"visitorId\":\"" + visitor + "\"}";
    }

    static String pageView(String eventId, String visitor, long t, String url) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"page_view\",\"timestamp\":" + t + ",\"visitorId\":\"" + visitor
                + "\",\"url\":\"" + url + "\"}";
    }
}
