package io.webpipe.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A live (unbounded) job whose input goes quiet: event time moves on with the wall clock, partitions
 * that never see an event turn idle, and the open session closes and is written without any further
 * input (about gap + out-of-orderness, plus a checkpoint interval and a bulk flush, after the last
 * event); an event later than the allowed lateness lands on the late topic with the reason.
 */
@ExtendWith(LocalInfra.class)
class QuietInputEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJob.miniCluster();

    @Test
    void anOpenSessionClosesWhenTheInputIsQuiet(KafkaBroker kafka, ElasticsearchNode es) throws Exception {
        String topic = "web-log-quiet";
        JobClient job = TestJob.start(kafka, es, topic, 3, "quiet input",
                "--session.gap", "3s",
                "--watermark.out-of-orderness", "1s",
                "--watermark.idle-timeout", "1s",
                "--checkpoint.interval", "500ms",
                "--sink.bulk.interval", "200ms",
                "--parallelism", "2");
        try {
            long now = System.currentTimeMillis();
            produce(kafka, topic, "{\"eventId\":\"q1\",\"type\":\"page_view\",\"timestamp\":" + (now - 1000)
                    + ",\"visitorId\":\"quiet-visitor\",\"url\":\"https://shop.example/\"}");
            produce(kafka, topic, "{\"eventId\":\"q2\",\"type\":\"click\",\"timestamp\":" + now
                    + ",\"visitorId\":\"quiet-visitor\"}");

            // Nothing more arrives: only event time moving on with the wall clock can close the session.
            Map<String, JsonNode> sessions;
            try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
                sessions = await("the quiet visitor's session closed").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250))
                        .until(client::sessions, written -> written.values().stream()
                                .anyMatch(doc -> !doc.path("live").asBoolean()));
            }

            assertThat(sessions).hasSize(1);
            JsonNode session = sessions.values().iterator().next();
            assertThat(session.path("eventCount").asInt()).isEqualTo(2);

            // An hour late: far past the allowed lateness, so it is kept on the late topic with the reason.
            produce(kafka, topic, "{\"eventId\":\"old\",\"type\":\"click\",\"timestamp\":" + (now - 3_600_000)
                    + ",\"visitorId\":\"quiet-visitor\"}");
            List<ConsumerRecord<byte[], byte[]>> late = SessionJobEndToEndTest.records(kafka, topic + "-late", 1, Duration.ofSeconds(30));
            assertThat(late).hasSize(1);
            assertThat(new String(late.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("quiet-visitor");
            JsonNode record = JSON.readTree(late.get(0).value());
            assertThat(record.path("reason").asText()).startsWith("too late");
            assertThat(record.path("event").path("eventId").asText()).isEqualTo("old");
            assertThat(record.path("watermark").asText()).isNotEmpty();
        } finally {
            job.cancel().get();
        }
    }

    private static void produce(KafkaBroker kafka, String topic, String json) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "quiet-visitor", json));
        }
    }
}
