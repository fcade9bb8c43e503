package io.webpipe.job.e2e;

import io.webpipe.job.Connectors;
import io.webpipe.job.SessionJob;
import io.webpipe.schema.WebEvent;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import io.webpipe.job.JobConfig;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import org.apache.flink.core.execution.JobClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The topics a test job uses and the configuration that points the job at them: input {@code topic},
 * dead letters on {@code topic-dlq}, too-late events on {@code topic-late}, consumer group
 * {@code sessions-topic}. Each test picks its own topic, so tests sharing one broker stay apart.
 */
public final class TestJob {
    private TestJob() {}

    /** The MiniCluster of the job tests: one TaskManager with two slots, so the job runs at parallelism 2. */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }

    /** Creates the input topic with {@code partitions} and its dead-letter and late topics. */
    public static void createTopics(KafkaBroker kafka, String topic, int partitions) {
        kafka.createTopic(topic, partitions);
        kafka.createTopic(topic + "-dlq", 1);
        kafka.createTopic(topic + "-late", 1);
    }

    /** The job's configuration for {@code topic} and the given servers; {@code extra} are more {@code --key value} pairs. */
    public static JobConfig config(String bootstrapServers, String elasticsearchUrl, String topic, String... extra) {
        return JobConfig.load(Map.of(), arguments(bootstrapServers, elasticsearchUrl, topic, extra).toArray(String[]::new));
    }

    /** The {@code --key value} arguments of {@link #config}. */
    public static List<String> arguments(String bootstrapServers, String elasticsearchUrl, String topic, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers", bootstrapServers,
                "--kafka.topic", topic,
                "--kafka.group-id", "sessions-" + topic,
                "--kafka.dlq-topic", topic + "-dlq",
                "--kafka.late-topic", topic + "-late",
                "--elasticsearch.url", elasticsearchUrl));
        args.addAll(List.of(extra));
        return args;
    }

    /**
     * A fresh run of the job on the real broker and node: {@code topic}'s topics created, the job's indices emptied,
     * the job submitted with the {@code --key value} {@code settings} on top of {@link #config}'s.
     */
    public static JobClient start(KafkaBroker kafka, ElasticsearchNode es, String topic, int partitions, String name,
            String... settings) throws Exception {
        createTopics(kafka, topic, partitions);
        try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
            client.resetJobIndices();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config(kafka.bootstrapServers(), es.httpUrl(), topic, settings));
        return env.executeAsync(name);
    }

    /** The job on the real Kafka and Elasticsearch of {@code config}, as {@code main} wires it. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, UnaryOperator.identity());
    }

    /** The same with {@code beforeSessions} applied to the decoded events (a failure injected mid-stream). */
    public static void build(StreamExecutionEnvironment env, JobConfig config, UnaryOperator<DataStream<WebEvent>> beforeSessions) {
        SessionJob.build(env, config, Connectors.kafkaSource(config), Connectors.sinks(config), beforeSessions);
    }
}
