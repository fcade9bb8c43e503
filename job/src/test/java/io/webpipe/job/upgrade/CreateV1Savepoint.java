package io.webpipe.job.upgrade;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.JobConfig;
import io.webpipe.job.e2e.Elasticsearch;
import io.webpipe.job.e2e.TestJob;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.util.MiniClusterWithClientResource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes the v1 fixture of {@code UpgradeFromV1SavepointTest} (a main, not a test; run it only with
 * the job exactly as the version the fixture stands for): on a real Kafka broker and Elasticsearch
 * node and a MiniCluster at parallelism 1, the job reads the first part of {@link UpgradeStream},
 * closes and writes the sessions that ended before it, and is stopped with a canonical savepoint while
 * the later sessions are still open. The savepoint, the documents Elasticsearch held then and a note
 * go to {@code <resources>/upgrade/}.
 *
 * <p>{@code java -cp <test classpath> io.webpipe.job.upgrade.CreateV1Savepoint job/src/test/resources}
 */
public final class CreateV1Savepoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path resources = Paths.get(args.length > 0 ? args[0] : "job/src/test/resources").toAbsolutePath();
        Path work = Files.createTempDirectory("webpipe-v1-fixture-");
        UpgradeStream stream = new UpgradeStream();
        List<UpgradeStream.Record> firstPart = stream.firstPart();

        try (KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka"), 0);
                ElasticsearchNode es = ElasticsearchNode.start(work.resolve("es"), 0)) {
            TestJob.createTopics(kafka, UpgradeStream.TOPIC, UpgradeStream.PARTITIONS);
            try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
                client.resetJobIndices();
            }
            UpgradeStream.produce(kafka.bootstrapServers(), firstPart);
            JobConfig config = UpgradeFixture.config(kafka.bootstrapServers(), es.httpUrl(), 1);

            MiniClusterWithClientResource flink = new MiniClusterWithClientResource(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(new Configuration())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());
            flink.before();
            try {
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
                TestJob.build(env, config);
                JobClient job = env.executeAsync("webpipe sessions v1 (fixture)");
                awaitCommitted(kafka.bootstrapServers(), config.groupId);
                Map<String, ?> written = awaitStableDocuments(es.httpUrl());
                String savepoint = job.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL).get();
                Map<String, ?> documents;
                try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
                    documents = client.sessions();
                }
                copy(Paths.get(java.net.URI.create(savepoint)), resources.resolve(UpgradeFixture.SAVEPOINT));
                JSON.writerWithDefaultPrettyPrinter()
                        .writeValue(resources.resolve(UpgradeFixture.ELASTICSEARCH_DOCUMENTS).toFile(), documents);
                Files.writeString(resources.resolve("upgrade/README.md"), note(stream, firstPart, documents.size(), written.size()));
                System.out.println("fixture written: " + documents.size() + " closed sessions of " + stream.sessions.size()
                        + ", savepoint " + savepoint);
            } finally {
                flink.after();
            }
        }
    }

    /** The job has read (and checkpointed) the whole first part. */
    private static void awaitCommitted(String bootstrapServers, String groupId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < UpgradeStream.PARTITIONS; p++) {
                latest.put(new TopicPartition(UpgradeStream.TOPIC, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
                if (end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue())) {
                    return;
                }
                Thread.sleep(500);
            }
        }
    }

    /** Sessions that ended before the split are written once their checkpoint completed. */
    private static Map<String, ?> awaitStableDocuments(String url) throws Exception {
        Map<String, ?> last = Map.of();
        int stable = 0;
        while (stable < 6) {
            Thread.sleep(500);
            try (Elasticsearch client = new Elasticsearch(url)) {
                Map<String, ?> now = client.sessions();
                stable = now.size() == last.size() && !now.isEmpty() ? stable + 1 : 0;
                last = now;
            }
        }
        return last;
    }

    private static void copy(Path from, Path to) throws Exception {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static String note(UpgradeStream stream, List<UpgradeStream.Record> firstPart, int closed, int beforeStop) {
        return "# v1 savepoint fixture (generated, do not edit)\n\n"
                + "Written by `io.webpipe.job.upgrade.CreateV1Savepoint` on " + Instant.now() + " with the job as of the\n"
                + "commit that added this folder (v1: no external versioning, no page catalogue), max parallelism 128,\n"
                + "parallelism 1, hashmap state backend, canonical savepoint format.\n\n"
                + "- Stream: `UpgradeStream` (frozen), seed " + UpgradeStream.SEED + ", " + UpgradeStream.VISITORS
                + " visitors, " + stream.records.size() + " events, " + stream.sessions.size() + " sessions.\n"
                + "- Topic `" + UpgradeStream.TOPIC + "`, " + UpgradeStream.PARTITIONS
                + " partitions, record i of visitor v on partition v % 3.\n"
                + "- Split: events before " + UpgradeStream.SPLIT + " (" + firstPart.size()
                + " events) were read before the savepoint; the rest comes after it.\n"
                + "- `v1-elasticsearch.json`: the " + closed + " session documents Elasticsearch held after the stop ("
                + beforeStop + " before it); the other sessions of the first part were open in the savepoint.\n"
                + "- `v1-savepoint/`: the savepoint (Kafka offsets, open session windows, `written-sessions`, held writes).\n";
    }
}
