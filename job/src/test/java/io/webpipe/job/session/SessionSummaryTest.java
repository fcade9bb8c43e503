package io.webpipe.job.session;

import static io.webpipe.job.Events.click;
import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.JobConfig;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A summary gives the same document however its events arrive: one by one in any order, or in merged parts. */
class SessionSummaryTest {
    private static final long T0 = 1_795_564_800_000L;
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final SessionDocuments DOCUMENTS = SessionDocuments.of(JobConfig.load(Map.of()));

    @Test
    void arrivalOrderAndMergingDoNotChangeTheDocument() throws Exception {
        Random random = new Random(20261202);
        for (int round = 0; round < 200; round++) {
            List<WebEvent> events = session(random, 1 + random.nextInt(2 * SessionDocument.MAX_PAGES));
            String expected = json(DOCUMENTS.build(SessionSummary.of(events), NOW));

            List<WebEvent> inOrder = new ArrayList<>(events); // the common case: every page view after the kept ones
            inOrder.sort(Comparator.comparingLong((WebEvent e) -> e.timestamp).thenComparing(e -> e.eventId));
            assertThat(json(DOCUMENTS.build(SessionSummary.of(inOrder), NOW))).as("in order, round %d", round).isEqualTo(expected);

            List<WebEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            assertThat(json(DOCUMENTS.build(SessionSummary.of(shuffled), NOW))).as("shuffled, round %d", round).isEqualTo(expected);

            // Windows merge in any grouping: summaries of parts, merged pairwise in a random order.
            List<SessionSummary> parts = new ArrayList<>();
            for (WebEvent e : shuffled) {
                if (parts.isEmpty() || random.nextInt(3) == 0) {
                    parts.add(new SessionSummary());
                }
                parts.get(parts.size() - 1).add(e);
            }
            while (parts.size() > 1) {
                SessionSummary a = parts.remove(random.nextInt(parts.size()));
                SessionSummary b = parts.remove(random.nextInt(parts.size()));
                parts.add(roundTrip(a).merge(roundTrip(b))); // as the state backend hands them over
            }
            assertThat(json(DOCUMENTS.build(parts.get(0), NOW))).as("merged, round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void fieldsComeFromTheFirstEventThatHasThem() {
        WebEvent late = click("b", "v", T0 + 5000);
        late.userId = "u-late";
        late.ip = "198.51.100.1";
        WebEvent early = pageView("a", "v", T0, "/landing?utm_source=naver");
        early.referrer = "https://search.naver.com/";
        WebEvent tie = click("a0", "v", T0 + 5000); // same time as `late`, earlier eventId
        tie.userId = "u-tie";

        SessionDocument doc = DOCUMENTS.build(SessionSummary.of(List.of(late, tie, early)), NOW);

        assertThat(doc.start).isEqualTo(Instant.ofEpochMilli(T0).toString());
        assertThat(doc.sessionId).isEqualTo(SessionIds.of("v", T0, "a"));
        assertThat(doc.referrer).isEqualTo("https://search.naver.com/");
        assertThat(doc.utmSource).isEqualTo("naver");
        assertThat(doc.userId).isEqualTo("u-tie");
        assertThat(doc.ip).isEqualTo("198.51.100.0");
        assertThat(doc.entryUrl).isEqualTo("/landing?utm_source=naver");
        assertThat(doc.durationMs).isEqualTo(5000);
    }

    private static List<WebEvent> session(Random random, int size) {
        List<WebEvent> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long t = T0 + random.nextInt(size * 1000); // ties in time happen: the eventId orders them
            WebEvent e = random.nextInt(3) == 0 ? click("e" + i, "v", t) : pageView("e" + i, "v", t, "/p" + random.nextInt(20));
            e.type = random.nextInt(5) == 0 ? "custom." + random.nextInt(4) : e.type;
            e.pageTitle = random.nextBoolean() ? "title " + i : null;
            e.userId = random.nextInt(4) == 0 ? "u" + i : null;
            e.userAgent = random.nextInt(4) == 0 ? "agent " + i : null;
            e.ip = random.nextInt(4) == 0 ? "10.0.0." + i % 256 : null;
            e.referrer = random.nextBoolean() ? "https://r" + i + ".example/" : null;
            events.add(e);
        }
        return events;
    }

    private static SessionSummary roundTrip(SessionSummary summary) throws Exception {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        TypeSerializer<SessionSummary> serializer = SessionSummary.TYPE.createSerializer(config.getSerializerConfig());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(summary, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static String json(SessionDocument doc) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(doc);
    }
}
