package io.webpipe.job.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.job.JobConfig;
import io.webpipe.job.e2e.Elasticsearch;
import io.webpipe.job.e2e.SessionMarkers;
import io.webpipe.job.e2e.TestJob;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade an operator does: the v1 job (no versioned writes, no page catalogue, {@code WrittenSession}
 * without {@code version}) was stopped with a savepoint mid-stream at parallelism 1 ({@link CreateV1Savepoint});
 * it is migrated ({@link MigrateWindowState}: the windows' events become summaries), the current job starts from
 * it at parallelism 2 on RocksDB, the rest of the stream follows, and
 * Elasticsearch then holds exactly the sessions of the whole stream: the ones v1 had written, untouched,
 * and the ones open at the savepoint, complete (their first part exists only in the restored state).
 * The page catalogue is a new branch and starts empty after the upgrade; its counts are not checked here.
 */
@ExtendWith(LocalInfra.class)
class UpgradeFromV1SavepointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENTINEL_PREFIX = "upgrade-sentinel-";

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJob.miniCluster();

    @Test
    void theChangedJobContinuesFromTheV1SavepointAtAnotherParallelism(KafkaBroker kafka, ElasticsearchNode es,
            @TempDir Path checkpoints) throws Exception {
        UpgradeStream stream = new UpgradeStream();
        TestJob.createTopics(kafka, UpgradeStream.TOPIC, UpgradeStream.PARTITIONS);
        // What v1 had done before the savepoint: the first part read, its closed sessions written.
        UpgradeStream.produce(kafka.bootstrapServers(), stream.firstPart());
        JsonNode v1Documents = migrated(JSON.readTree(getClass().getResource("/" + UpgradeFixture.ELASTICSEARCH_DOCUMENTS)));
        try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
            client.resetJobIndices();
        }
        indexAsV1(es, v1Documents);

        JobConfig config = UpgradeFixture.config(kafka.bootstrapServers(), es.httpUrl(), 2);
        // v1's session windows hold their events; the current job's hold summaries: the savepoint is migrated first.
        String v1Savepoint = Paths.get(getClass().getResource("/" + UpgradeFixture.SAVEPOINT).toURI()).toString();
        String savepoint = checkpoints.resolve("migrated-savepoint").toString();
        MigrateWindowState.run(StreamExecutionEnvironment.getExecutionEnvironment(), config, v1Savepoint, savepoint);
        assertThat(WindowStateFormat.needsMigration(v1Savepoint)).isTrue();
        assertThat(WindowStateFormat.needsMigration(savepoint)).isFalse();
        // The Kafka sinks' committers refuse a checkpoint number twice: the job goes on counting from v1's.
        assertThat(WindowStateFormat.metadata(savepoint).getCheckpointId())
                .isEqualTo(WindowStateFormat.metadata(v1Savepoint).getCheckpointId()).isPositive();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        env.getCheckpointConfig().setCheckpointStorage(checkpoints.toUri());
        TestJob.build(env, config);
        StreamGraph graph = env.getStreamGraph();
        graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        JobClient job = env.executeAsync(graph);
        try {
            UpgradeStream.produce(kafka.bootstrapServers(), stream.secondPart());
            // After the last event of the stream and before the sentinels, whose event time closes them too.
            SessionMarkers markers = new SessionMarkers(config, UpgradeStream.PARTITIONS);
            markers.send(stream.records.get(stream.records.size() - 1).timestamp + 1);
            UpgradeStream.produce(kafka.bootstrapServers(), sentinels());

            Map<String, JsonNode> sessions;
            try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
                sessions = markers.awaitSessions(client, Duration.ofSeconds(90));
            }
            // The sentinels' sessions stay open: at most their live documents show.
            sessions.values().removeIf(s -> s.path("live").asBoolean() && s.path("visitorId").asText().startsWith(SENTINEL_PREFIX));
            assertThat(new TreeSet<>(sessions.keySet())).isEqualTo(new TreeSet<>(stream.sessions.keySet()));
            List<String> mismatches = new ArrayList<>();
            stream.sessions.forEach((id, expected) -> {
                JsonNode got = sessions.get(id);
                if (got.path("eventCount").asInt() != expected.eventCount || got.path("pageViews").asInt() != expected.pageViews
                        || !got.path("start").asText().equals(Instant.ofEpochMilli(expected.start).toString())
                        || !got.path("end").asText().equals(Instant.ofEpochMilli(expected.end).toString())
                        || !got.path("visitorId").asText().equals(expected.visitorId)) {
                    mismatches.add(id + ": " + got);
                }
            });
            assertThat(mismatches).as("%d of %d sessions differ", mismatches.size(), sessions.size()).isEmpty();

            // v1's closed sessions were not rewritten (the job did not read the first part again) ...
            v1Documents.fields().forEachRemaining(e -> assertThat(sessions.get(e.getKey()).path("updatedAt").asText())
                    .as(e.getKey()).isEqualTo(e.getValue().path("updatedAt").asText()));
            // ... and the sessions open at the savepoint got their first-part events from the restored state.
            long split = UpgradeStream.SPLIT.toEpochMilli();
            long spanning = stream.sessions.values().stream().filter(s -> s.start < split && s.end >= split).count();
            assertThat(spanning).isGreaterThan(10);
        } finally {
            job.cancel().get();
        }
    }

    /** One event per partition a day later: event time passes every session of the stream, which close. */
    private static List<UpgradeStream.Record> sentinels() {
        List<UpgradeStream.Record> records = new ArrayList<>();
        long t = UpgradeStream.BASE.plus(Duration.ofDays(1)).toEpochMilli();
        for (int p = 0; p < UpgradeStream.PARTITIONS; p++) {
            String visitor = SENTINEL_PREFIX + p;
            records.add(new UpgradeStream.Record(p, visitor, "{\"eventId\":\"" + visitor + "\",\"type\":\"click\",\"timestamp\":"
                    + t + ",\"visitorId\":\"" + visitor + "\"}", t));
        }
        return records;
    }

    /**
     * v1's documents as {@code index reindex} leaves them ({@code web-sessions.migrate.painless}): v1 wrote
     * {@code eventTypes} as an object of counts, the current mapping takes a list of {@code {type, count}},
     * most frequent first.
     */
    private static JsonNode migrated(JsonNode documents) {
        documents.forEach(doc -> {
            List<Map.Entry<String, JsonNode>> counts = new ArrayList<>();
            doc.path("eventTypes").fields().forEachRemaining(counts::add);
            counts.sort(Comparator.comparingInt((Map.Entry<String, JsonNode> c) -> -c.getValue().asInt()).thenComparing(Map.Entry::getKey));
            ArrayNode list = ((ObjectNode) doc).putArray("eventTypes");
            counts.forEach(c -> list.addObject().put("type", c.getKey()).put("count", c.getValue().asInt()));
        });
        return documents;
    }

    /** As v1 wrote them: plain index requests, Elasticsearch's internal versions. */
    private static void indexAsV1(ElasticsearchNode es, JsonNode documents) throws Exception {
        StringBuilder bulk = new StringBuilder();
        documents.fields().forEachRemaining(e -> bulk.append("{\"index\":{\"_id\":\"").append(e.getKey()).append("\"}}\n")
                .append(e.getValue().toString()).append('\n'));
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            Request request = new Request("POST", "/" + Indices.SESSIONS + "/_bulk?refresh=true");
            request.setJsonEntity(bulk.toString());
            JsonNode response = JSON.readTree(client.performRequest(request).getEntity().getContent());
            assertThat(response.path("errors").asBoolean()).isFalse();
        }
    }
}
