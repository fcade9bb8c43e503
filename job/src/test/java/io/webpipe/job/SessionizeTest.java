package io.webpipe.job;

import static io.webpipe.job.Events.click;
import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.session.SessionIds;
import io.webpipe.job.session.Sessionize;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session windows of the real job graph (gap 30 min, allowed lateness 10 min, live documents every 5 s of
 * processing time while a visitor is active) in Flink's operator harness, which moves processing time on request.
 * Redelivered events never reach them: the guard in front drops them ({@code GuardSessionsTest}).
 */
class SessionizeTest {
    private static final long T0 = 1_795_564_800_000L;
    private static final long MIN = Duration.ofMinutes(1).toMillis();
    private static final long GAP = 30 * MIN;
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyedOneInputStreamOperatorTestHarness<String, WebEvent, DocumentWrite> harness;

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void eventsAtMostGapApartAreOneSession() throws Exception {
        open();
        add(pageView("a1", "v", T0, "/a"));
        add(pageView("a2", "v", T0 + GAP, "/b"));
        add(pageView("b1", "v", T0 + GAP + GAP + 1, "/c"));
        watermark(T0 + 4 * GAP);

        List<SessionDocument> docs = upserts();
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).pages).containsExactly("/a", "/b");
        assertThat(docs.get(0).durationMs).isEqualTo(GAP);
        assertThat(docs.get(1).pages).containsExactly("/c");
        assertThat(deletes()).isEmpty();
    }

    @Test
    void outOfOrderEventsAreOrderedByEventTime() throws Exception {
        open();
        add(pageView("e3", "v", T0 + 3 * MIN, "/3"));
        add(pageView("e1", "v", T0 + MIN, "/1?utm_source=news&utm_medium=email&utm_campaign=winter"));
        add(click("e2", "v", T0 + 2 * MIN));
        watermark(T0 + 3 * MIN + GAP);

        SessionDocument doc = single(upserts());
        assertThat(doc.sessionId).isEqualTo(SessionIds.of("v", T0 + MIN, "e1"));
        assertThat(doc.start).isEqualTo("2026-11-25T00:01:00Z");
        assertThat(doc.end).isEqualTo("2026-11-25T00:03:00Z");
        assertThat(doc.pages).containsExactly("/1?utm_source=news&utm_medium=email&utm_campaign=winter", "/3");
        assertThat(doc.entryUrl).startsWith("/1");
        assertThat(doc.exitUrl).isEqualTo("/3");
        assertThat(doc.eventCount).isEqualTo(3);
        assertThat(doc.pageViews).isEqualTo(2);
        assertThat(doc.eventTypes).extracting(t -> t.type + "=" + t.count).containsExactly("page_view=2", "click=1");
        assertThat(doc.utmSource).isEqualTo("news");
        assertThat(doc.utmCampaign).isEqualTo("winter");
        assertThat(doc.bounce).isFalse();
    }

    @Test
    void aLateEventThatStartsTheSessionEarlierReplacesItsDocument() throws Exception {
        open();
        add(pageView("e1", "v", T0, "/a"));
        watermark(T0 + GAP);
        String firstId = single(upserts()).sessionId;
        harness.getOutput().clear();

        add(pageView("e0", "v", T0 - 5 * MIN, "/landing"));
        watermark(T0 + GAP + MIN);

        SessionDocument doc = single(upserts());
        assertThat(doc.sessionId).isEqualTo(SessionIds.of("v", T0 - 5 * MIN, "e0")).isNotEqualTo(firstId);
        assertThat(doc.pages).containsExactly("/landing", "/a");
        assertThat(deletes()).containsExactly(firstId);
    }

    @Test
    void aLateEventBridgingAWrittenSessionAndAnOpenOneLeavesOneDocument() throws Exception {
        open();
        add(pageView("a1", "v", T0, "/a"));
        add(pageView("b1", "v", T0 + 45 * MIN, "/b"));
        watermark(T0 + GAP + MIN); // the first session is written, the second is still open
        String firstId = single(upserts()).sessionId;
        harness.getOutput().clear();

        add(pageView("x", "v", T0 + 20 * MIN, "/bridge"));
        watermark(T0 + 45 * MIN + GAP);

        SessionDocument doc = single(upserts());
        assertThat(doc.sessionId).isEqualTo(firstId);
        assertThat(doc.pages).containsExactly("/a", "/bridge", "/b");
        assertThat(deletes()).isEmpty();
    }

    @Test
    void aLateEventBridgingTwoWrittenSessionsDeletesTheSupersededOne() throws Exception {
        // Both sessions can only have been written before the bridge arrives when the allowed lateness exceeds the gap.
        open("--session.gap", "10min", "--session.allowed-lateness", "30min");
        add(pageView("a1", "v", T0, "/a"));
        add(pageView("b1", "v", T0 + 15 * MIN, "/b"));
        watermark(T0 + 26 * MIN);
        List<SessionDocument> both = upserts();
        assertThat(both).hasSize(2);
        harness.getOutput().clear();

        add(pageView("x", "v", T0 + 8 * MIN, "/bridge"));
        watermark(T0 + 27 * MIN);

        SessionDocument doc = single(upserts());
        assertThat(doc.sessionId).isEqualTo(both.get(0).sessionId);
        assertThat(doc.pages).containsExactly("/a", "/bridge", "/b");
        assertThat(deletes()).containsExactly(both.get(1).sessionId);
    }

    @Test
    void tooLateEventsGoToTheLateOutputAndStateIsCleanedUp() throws Exception {
        open();
        add(pageView("e1", "v", T0, "/a"));
        watermark(T0 + GAP + 10 * MIN); // past the session's end plus the allowed lateness: purged
        harness.getOutput().clear();

        WebEvent tooLate = pageView("e0", "v", T0 - MIN, "/late");
        add(tooLate);
        watermark(T0 + 2 * GAP);

        assertThat(upserts()).isEmpty();
        assertThat(harness.getSideOutput(Sessionize.TOO_LATE)).extracting(StreamRecord::getValue).containsExactly(tooLate);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anOpenSessionIsWrittenLiveWhileActiveThenReplacedByTheFinalDocumentUnderTheSameId() throws Exception {
        open();
        add(pageView("e1", "v", T0, "/a"));
        harness.setProcessingTime(tick());
        SessionDocument live = single(upserts());
        assertThat(live.live).isTrue();
        assertThat(live.eventCount).isEqualTo(1);

        harness.setProcessingTime(10 * tick()); // the visitor is idle: nothing is rewritten
        assertThat(writes()).hasSize(1);

        add(click("e2", "v", T0 + MIN));
        harness.setProcessingTime(11 * tick());
        watermark(T0 + MIN + GAP);

        List<SessionDocument> docs = upserts();
        assertThat(docs).extracting(d -> d.sessionId).containsOnly(live.sessionId);
        assertThat(docs).extracting(d -> d.live + " " + d.eventCount).containsExactly("true 1", "true 2", "false 2");
        assertThat(deletes()).isEmpty();
    }

    @Test
    void aSessionExtendedOutOfTheWallClocksHorizonGetsNoLiveDocument() throws Exception {
        open();
        long horizon = JobConfig.load(Map.of()).outOfOrderness.toMillis();
        long now = 100 * tick();
        harness.setProcessingTime(now);
        long first = now - horizon - GAP + 1; // the session ends exactly the horizon before now: current, a tick due
        add(pageView("e1", "v", first, "/a"));
        harness.setProcessingTime(now + 2);
        add(click("e2", "v", first + 1)); // another window, which ends more than the horizon before now: not current
        harness.setProcessingTime(now + tick());
        assertThat(writes()).as("the first window's tick is not the new one's").isEmpty();

        watermark(first + 1 + GAP);
        assertThat(single(upserts()).live).isFalse();
    }

    @Test
    void liveDocumentsThatAnEarlierEventOrABridgeSupersedesAreDeleted() throws Exception {
        open();
        add(pageView("a1", "v", T0, "/a"));
        add(pageView("b1", "v", T0 + 45 * MIN, "/b"));
        harness.setProcessingTime(tick());
        assertThat(current()).hasSize(2).allSatisfy((id, doc) -> assertThat(doc.live).isTrue());

        add(pageView("a0", "v", T0 - MIN, "/landing")); // an earlier first event: a new session id
        harness.setProcessingTime(2 * tick());
        assertThat(current()).hasSize(2);

        add(pageView("x", "v", T0 + 20 * MIN, "/bridge")); // one session now
        harness.setProcessingTime(3 * tick());
        assertThat(current().values()).singleElement().satisfies(doc -> {
            assertThat(doc.live).isTrue();
            assertThat(doc.pages).containsExactly("/landing", "/a", "/bridge", "/b");
        });

        watermark(T0 + 45 * MIN + GAP);
        assertThat(current().values()).singleElement().satisfies(doc -> {
            assertThat(doc.live).isFalse();
            assertThat(doc.sessionId).isEqualTo(SessionIds.of("v", T0 - MIN, "a0"));
        });
    }

    private void open(String... args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobConfig config = JobConfig.load(Map.of(), args);
        env.setParallelism(1); // the windows chain to their (here: collection) source, as to the guard in the job
        SessionJob.sessionize(env.fromData(WebEvent.class, new WebEvent()), config);
        harness = OperatorHarnesses.keyed(env, SessionJob.SESSIONIZE);
        harness.open();
    }

    private void add(WebEvent e) throws Exception {
        harness.processElement(e, e.timestamp);
    }

    private void watermark(long t) throws Exception {
        harness.processWatermark(new Watermark(t));
    }

    private List<DocumentWrite> writes() {
        List<DocumentWrite> writes = new ArrayList<>();
        for (Object o : (ConcurrentLinkedQueue<Object>) harness.getOutput()) {
            if (o instanceof StreamRecord) {
                writes.add((DocumentWrite) ((StreamRecord<?>) o).getValue());
            }
        }
        return writes;
    }

    private List<SessionDocument> upserts() throws Exception {
        List<SessionDocument> docs = new ArrayList<>();
        for (DocumentWrite w : writes()) {
            if (w.action == DocumentWrite.Action.UPSERT) {
                docs.add(JSON.readValue(w.json, SessionDocument.class));
            }
        }
        return docs;
    }

    private List<String> deletes() {
        List<String> ids = new ArrayList<>();
        for (DocumentWrite w : writes()) {
            if (w.action == DocumentWrite.Action.DELETE) {
                ids.add(w.id);
            }
        }
        return ids;
    }

    /** The documents Elasticsearch holds after every write so far, applied in order. */
    private Map<String, SessionDocument> current() throws Exception {
        Map<String, SessionDocument> docs = new TreeMap<>();
        for (DocumentWrite w : writes()) {
            if (w.action == DocumentWrite.Action.UPSERT) {
                docs.put(w.id, JSON.readValue(w.json, SessionDocument.class));
            } else {
                docs.remove(w.id);
            }
        }
        return docs;
    }

    /** The first early firing's processing time: the job's default live interval. */
    private static long tick() {
        return JobConfig.load(Map.of()).sessionLiveInterval.toMillis();
    }

    private static SessionDocument single(List<SessionDocument> docs) {
        assertThat(docs).hasSize(1);
        return docs.get(0);
    }
}
