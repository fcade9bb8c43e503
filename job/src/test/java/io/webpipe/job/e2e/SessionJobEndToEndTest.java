package io.webpipe.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.job.JobConfig;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import io.webpipe.schema.WebEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a real Kafka broker, a real Elasticsearch node and a Flink MiniCluster: known
 * traffic in, exactly the expected session and page documents out, field by field (except
 * {@code updatedAt}), with and without a failure mid-stream (duplicates and the replay after the
 * restart never inflate page counts).
 */
@ExtendWith(LocalInfra.class)
class SessionJobEndToEndTest {
    private static final int VISITORS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(restartOnFailure())
            .build());

    @Test
    void sessionsInElasticsearchAreExactlyTheExpectedOnes(KafkaBroker kafka, ElasticsearchNode es) throws Exception {
        TrafficGenerator.Traffic traffic = new TrafficGenerator(42, true).generate(VISITORS);
        JobConfig config = prepare("plain", traffic, kafka, es, "1s");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TestJob.build(env, config);
        env.execute("sessions end to end");

        assertExactly(traffic, es);
        assertThat(distinctDeadLetters(kafka, config.deadLetterTopic, traffic.malformed)).hasSize(traffic.malformed);
        // The job has finished: what it published is all there is.
        assertThat(recordCount(kafka, config.lateTopic)).isZero();
    }

    @Test
    void aFailureMidStreamOnRocksDbGivesTheSameExactResult(KafkaBroker kafka, ElasticsearchNode es, @TempDir Path checkpoints)
            throws Exception {
        TrafficGenerator.Traffic traffic = new TrafficGenerator(7, true).generate(VISITORS);
        JobConfig config = prepare("failure", traffic, kafka, es, "300ms");
        FailOnceAfterCheckpoint.reset();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        env.getCheckpointConfig().setCheckpointStorage(checkpoints.toUri());
        UnaryOperator<DataStream<WebEvent>> failOnce =
                events -> events.map(new FailOnceAfterCheckpoint(traffic.events / 2)).name("inject failure").uid("inject-failure");
        TestJob.build(env, config, failOnce);
        env.execute("sessions end to end with a failure");

        assertThat(FailOnceAfterCheckpoint.FAILED).isTrue();
        assertExactly(traffic, es);
        assertThat(distinctDeadLetters(kafka, config.deadLetterTopic, traffic.malformed)).hasSize(traffic.malformed);
    }

    private static JobConfig prepare(String name, TrafficGenerator.Traffic traffic, KafkaBroker kafka, ElasticsearchNode es,
            String checkpointInterval) throws Exception {
        assertThat(traffic.events).isGreaterThanOrEqualTo(10_000);
        assertThat(traffic.visitors).isGreaterThanOrEqualTo(500);
        String topic = "web-log-" + name;
        TestJob.createTopics(kafka, topic, 3);
        produce(kafka, topic, traffic);
        try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
            client.resetJobIndices();
        }
        return TestJob.config(kafka.bootstrapServers(), es.httpUrl(), topic,
                "--kafka.stop-at-latest", "true",
                "--checkpoint.interval", checkpointInterval,
                "--parallelism", "2");
    }

    /** Sessions and pages exactly as the generator's model says, field by field (except {@code updatedAt}). */
    private static void assertExactly(TrafficGenerator.Traffic traffic, ElasticsearchNode es) throws Exception {
        assertDocuments(Indices.SESSIONS, traffic.expected, es);
        assertThat(traffic.expectedPages).hasSizeGreaterThan(50);
        assertDocuments(Indices.PAGES, traffic.expectedPages, es);
    }

    private static void assertDocuments(String alias, Map<String, ?> expectedById, ElasticsearchNode es) throws Exception {
        Map<String, JsonNode> actual;
        try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
            actual = client.documents(alias);
        }
        assertThat(new TreeSet<>(actual.keySet())).as(alias).isEqualTo(new TreeSet<>(expectedById.keySet()));
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, ?> e : expectedById.entrySet()) {
            // Through text, so numbers compare by value as Elasticsearch returns them.
            ObjectNode expected = (ObjectNode) JSON.readTree(JSON.writeValueAsString(e.getValue()));
            ObjectNode got = ((ObjectNode) actual.get(e.getKey())).deepCopy();
            assertThat(got.path("updatedAt").asText()).isNotEmpty();
            expected.remove("updatedAt");
            got.remove("updatedAt");
            if (!expected.equals(got)) {
                mismatches.add("expected " + expected + "\n     got " + got);
            }
        }
        assertThat(mismatches).as("%s: %d of %d documents differ", alias, mismatches.size(), actual.size()).isEmpty();
    }

    private static void produce(KafkaBroker kafka, String topic, TrafficGenerator.Traffic traffic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (TrafficGenerator.Record r : traffic.records) {
                producer.send(new ProducerRecord<>(topic, r.key, r.value));
            }
            producer.flush();
        }
    }

    /** Dead letters may repeat after a restart (at-least-once); each (partition, offset) is one rejected record. */
    private static Set<String> distinctDeadLetters(KafkaBroker kafka, String topic, int expected) throws Exception {
        Set<String> distinct = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records(kafka, topic, expected, Duration.ofSeconds(30))) {
            JsonNode letter = JSON.readTree(r.value());
            assertThat(letter.path("reason").asText()).isNotEmpty();
            assertThat(letter.has("value")).isTrue();
            distinct.add(letter.path("partition").asInt() + "@" + letter.path("offset").asLong());
        }
        return distinct;
    }

    /** Records in {@code topic} now: the sum over its partitions of the end offsets (nothing is deleted in a test). */
    static long recordCount(KafkaBroker kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> records(KafkaBroker kafka, String topic, int atLeast, Duration wait) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic + "-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline && out.size() < atLeast) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static Configuration restartOnFailure() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return conf;
    }
}
