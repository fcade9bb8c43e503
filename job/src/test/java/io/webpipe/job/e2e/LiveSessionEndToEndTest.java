package io.webpipe.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live sessions on a real Kafka broker and Elasticsearch node: a visitor's open session is searchable, marked
 * {@code live}, and its page's current minute is in the page's recent views; when the session closes, the final
 * document replaces the live one under the same id. Every look at the index finds at most one document of the
 * session.
 *
 * <p>Nothing here races the clock: the visitor's events go to one of two partitions and the other one stays
 * empty, with an idle timeout far longer than the test, so event time stands still and the session stays open
 * until the test sends a later event to both partitions.
 */
@ExtendWith(LocalInfra.class)
class LiveSessionEndToEndTest {
    private static final String TOPIC = "web-log-live";
    private static final String VISITOR = "live-visitor";
    private static final String PAGE = "https://shop.example/live";

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJob.miniCluster();

    @Test
    void anOpenSessionIsLiveThenItsFinalDocumentReplacesItWithOneDocumentThroughout(KafkaBroker kafka, ElasticsearchNode es)
            throws Exception {
        JobClient job = TestJob.start(kafka, es, TOPIC, 2, "live sessions",
                "--session.gap", "2min",
                "--session.live-interval", "200ms",
                "--pages.flush-interval", "200ms",
                // Also how far behind the clock a window may end and still be written early.
                "--watermark.out-of-orderness", "1min",
                "--watermark.idle-timeout", "10min",
                "--checkpoint.interval", "300ms",
                "--sink.bulk.interval", "100ms",
                "--parallelism", "2");
        List<Integer> documentsSeen = new ArrayList<>();
        try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
            long t = Instant.now().truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
            send(kafka, 0, VISITOR, "{\"eventId\":\"l1\",\"type\":\"page_view\",\"timestamp\":" + t
                    + ",\"visitorId\":\"" + VISITOR + "\",\"url\":\"" + PAGE + "\"}");
            send(kafka, 0, VISITOR, "{\"eventId\":\"l2\",\"type\":\"click\",\"timestamp\":" + (t + 1_000)
                    + ",\"visitorId\":\"" + VISITOR + "\"}");

            JsonNode live = await("the open session, live").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> visitorSessions(client, documentsSeen), docs -> docs.size() == 1
                            && docs.get(0).path("live").asBoolean() && docs.get(0).path("eventCount").asInt() == 2)
                    .get(0);
            JsonNode page = await("the open minute in the page's recent views").atMost(Duration.ofSeconds(60))
                    .until(() -> client.documents(Indices.PAGES).get(PAGE), doc -> doc != null && doc.path("recentViews").size() == 1);
            assertThat(page.path("recentViews").get(0).path("minute").asText()).isEqualTo(Instant.ofEpochMilli(t).toString());
            assertThat(page.path("recentViews").get(0).path("views").asInt()).isEqualTo(1);

            // Event time passes the session's end on both partitions: it closes.
            long later = t + Duration.ofMinutes(4).toMillis(); // past the session's end + gap + out-of-orderness
            for (int partition = 0; partition < 2; partition++) {
                send(kafka, partition, "live-closer", "{\"eventId\":\"c" + partition + "\",\"type\":\"click\",\"timestamp\":"
                        + later + ",\"visitorId\":\"live-closer\"}");
            }
            JsonNode closed = await("the final session").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> visitorSessions(client, documentsSeen), docs -> docs.size() == 1
                            && !docs.get(0).path("live").asBoolean())
                    .get(0);

            assertThat(closed.path("sessionId").asText()).isEqualTo(live.path("sessionId").asText());
            assertThat(closed.path("eventCount").asInt()).isEqualTo(2);
            assertThat(documentsSeen).as("documents of the session at each look").isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
        } finally {
            job.cancel().get();
        }
    }

    /** The visitor's session documents now; how many there were is recorded in {@code seen}. */
    private static List<JsonNode> visitorSessions(Elasticsearch client, List<Integer> seen) throws Exception {
        Map<String, JsonNode> sessions = client.sessions();
        List<JsonNode> visitor = sessions.values().stream()
                .filter(doc -> doc.path("visitorId").asText().equals(VISITOR)).collect(Collectors.toList());
        seen.add(visitor.size());
        return visitor;
    }

    private static void send(KafkaBroker kafka, int partition, String visitor, String json) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, partition, visitor, json));
        }
    }
}
