package io.webpipe.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.job.JobConfig;
import io.webpipe.job.rebuild.RebuildJob;
import io.webpipe.job.session.SessionIds;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ./webpipe index rebuild web-sessions} ({@link RebuildJob}) on real Kafka and Elasticsearch while the live
 * job runs: the rebuilt index equals what the live job wrote, document for document (every field but
 * {@code updatedAt}, the time of the write); after the switch the live job's writes go to the rebuilt index and
 * supersede rebuilt documents: an update, a merge (one rebuilt document deleted) and a new session.
 */
@ExtendWith(LocalInfra.class)
class RebuildFromLogTest {
    private static final String TOPIC = "web-log-rebuild";
    private static final long GAP = 2000;
    private static final int VISITORS = 10;
    private static final String UPDATED_AT = "updatedAt";

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJob.miniCluster();

    private record Event(String visitorId, String eventId, long timestamp, String json) {}

    @Test
    void theRebuiltIndexEqualsWhatTheLiveJobWroteAndTakesItsLaterWrites(KafkaBroker kafka, ElasticsearchNode es) throws Exception {
        TestJob.createTopics(kafka, TOPIC, 3);
        try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
            client.resetJobIndices();
        }
        // Parallelism 1: the live job and the rebuild share the MiniCluster's two slots.
        List<String> settings = TestJob.arguments(kafka.bootstrapServers(), es.httpUrl(), TOPIC,
                "--session.gap", GAP + "ms",
                "--watermark.out-of-orderness", "300ms",
                "--watermark.idle-timeout", "1s",
                "--checkpoint.interval", "300ms",
                "--sink.bulk.interval", "100ms",
                "--parallelism", "1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TestJob.build(env, JobConfig.load(Map.of(), settings.toArray(String[]::new)));
        JobClient live = env.executeAsync("live sessions");
        try (Elasticsearch sessions = new Elasticsearch(es.httpUrl())) {
            long t0 = System.currentTimeMillis();
            List<Event> history = history(t0);
            send(kafka, history);
            String v1 = Indices.versioned(Indices.SESSIONS, 1);
            await("the live job's final sessions").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> finalSessions(sessions.documents(v1)) == 2 * VISITORS);
            Map<String, JsonNode> written = withoutWriteTime(sessions.documents(v1));

            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            // No margin below the moment the rebuild looks at the log: the live job wrote everything before it, so nothing
            // is caught up from v1 and v2 holds exactly what the rebuild computed.
            RebuildJob.Summary summary = RebuildJob.run(Indices.SESSIONS, settings, Duration.ZERO,
                    new PrintStream(progress, true, StandardCharsets.UTF_8));

            String v2 = Indices.versioned(Indices.SESSIONS, 2);
            assertThat(summary.index()).isEqualTo(v2);
            assertThat(summary.records()).isEqualTo(history.size());
            assertThat(summary.rebuiltDocuments()).isEqualTo(2 * VISITORS);
            assertThat(progress.toString(StandardCharsets.UTF_8))
                    .contains(history.size() + " of " + history.size() + " records read (100%)")
                    .contains("done: web-sessions -> " + v2);
            assertThat(withoutWriteTime(sessions.documents(v2))).isEqualTo(written);
            assertThat(withoutWriteTime(sessions.sessions())).as("the alias reads the rebuilt index").isEqualTo(written);

            // After the switch the live job writes into the rebuilt index; its versions are above the rebuilt ones.
            Event v1Last = history.get(11);
            send(kafka, List.of(
                    event("rebuild-visitor-0", "bridge", t0 + 400 + GAP - 500), // merges visitor 0's two sessions
                    event("rebuild-visitor-1", "more", v1Last.timestamp() + 500),  // extends visitor 1's second session
                    event("rebuild-visitor-new", "first", t0 + 1000)));
            String merged = SessionIds.of("rebuild-visitor-0", history.get(0).timestamp(), history.get(0).eventId());
            String mergedAway = SessionIds.of("rebuild-visitor-0", history.get(3).timestamp(), history.get(3).eventId());
            String extended = SessionIds.of("rebuild-visitor-1", history.get(9).timestamp(), history.get(9).eventId());
            String created = SessionIds.of("rebuild-visitor-new", t0 + 1000, "rebuild-visitor-new-first");
            await("the live job's writes after the switch").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        Map<String, JsonNode> now = sessions.documents(v2);
                        return !now.containsKey(mergedAway) && eventCount(now, merged) == 7 && eventCount(now, extended) == 4
                                && eventCount(now, created) == 1 && finalSessions(now) == now.size();
                    });
            Map<String, JsonNode> expected = new TreeMap<>(written);
            expected.keySet().removeAll(List.of(merged, mergedAway, extended));
            Map<String, JsonNode> after = withoutWriteTime(sessions.documents(v2));
            after.keySet().removeAll(List.of(merged, extended, created));
            assertThat(after).as("every other rebuilt document unchanged").isEqualTo(expected);
        } finally {
            live.cancel().get();
        }
    }

    /** Each visitor: two sessions of three page views 200 ms apart, the second starting 3 s after the first ended. */
    private static List<Event> history(long t0) {
        List<Event> events = new ArrayList<>();
        for (int v = 0; v < VISITORS; v++) {
            String visitor = "rebuild-visitor-" + v;
            for (int i = 0; i < 6; i++) {
                long t = t0 + v * 50L + i * 200L + (i >= 3 ? 400 + GAP + 1000 - 600 : 0);
                events.add(event(visitor, "e" + i, t));
            }
        }
        return events;
    }

    private static Event event(String visitor, String name, long timestamp) {
        String eventId = visitor + "-" + name;
        String json = "{\"eventId\":\"" + eventId + "\",\"type\":\"page_view\",\"timestamp\":" + timestamp
                + ",\"visitorId\":\"" + visitor + "\",\"url\":\"https://shop.example/p/" + name + "?utm_source=news\""
                + ",\"referrer\":\"https://www.google.com/\",\"ip\":\"203.0.113.7\""
                + ",\"userAgent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\"}";
        return new Event(visitor, eventId, timestamp, json);
    }

    private static void send(KafkaBroker kafka, List<Event> events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            events.forEach(e -> producer.send(new ProducerRecord<>(TOPIC, e.visitorId(), e.json())));
        }
    }

    private static long finalSessions(Map<String, JsonNode> documents) {
        return documents.values().stream().filter(d -> !d.path("live").asBoolean()).count();
    }

    private static int eventCount(Map<String, JsonNode> documents, String id) {
        return documents.containsKey(id) ? documents.get(id).path("eventCount").asInt() : 0;
    }

    private static Map<String, JsonNode> withoutWriteTime(Map<String, JsonNode> documents) {
        Map<String, JsonNode> stripped = new TreeMap<>();
        documents.forEach((id, doc) -> stripped.put(id, ((ObjectNode) doc.deepCopy()).without(UPDATED_AT)));
        return stripped;
    }
}
