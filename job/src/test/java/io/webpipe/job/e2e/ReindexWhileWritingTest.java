package io.webpipe.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.job.JobConfig;
import io.webpipe.job.session.SessionIds;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The index lifecycle of {@code index/} while the live job writes: a new mapping (one more field) is
 * rolled out with {@code init} + {@code reindex web-sessions 1 -> 2} while events keep arriving in real
 * time (sessions closing, late events updating written sessions, late events merging two written
 * sessions so one document is deleted) and a reader keeps querying the alias. No query fails, the alias
 * ends on v2 with the new field, and v2 holds exactly the expected sessions: none lost, none stale.
 */
@ExtendWith(LocalInfra.class)
class ReindexWhileWritingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "web-log-reindex";
    private static final int PARTITIONS = 3;
    private static final long GAP = 2000;
    private static final int VISITORS = 60;

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJob.miniCluster();

    /** An event at {@code timestamp}, sent at {@code sendAt} (later for late events). */
    private record Planned(String visitorId, String eventId, long timestamp, long sendAt) {}

    @Test
    void reindexAndSwitchWhileTheJobWritesLosesNothingAndLeavesNothingStale(KafkaBroker kafka, ElasticsearchNode es)
            throws Exception {
        TestJob.createTopics(kafka, TOPIC, PARTITIONS);
        try (Elasticsearch client = new Elasticsearch(es.httpUrl())) {
            client.resetJobIndices();
        }
        JobConfig config = TestJob.config(kafka.bootstrapServers(), es.httpUrl(), TOPIC,
                "--session.gap", GAP + "ms",
                "--watermark.out-of-orderness", "300ms",
                "--watermark.idle-timeout", "1s",
                "--checkpoint.interval", "300ms",
                "--sink.bulk.interval", "100ms",
                "--parallelism", "2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TestJob.build(env, config);
        JobClient job = env.executeAsync("sessions while reindexing");

        List<Planned> plan = plan(System.currentTimeMillis() + 1000, new Random(11));
        assertThat(plan.stream().filter(e -> e.sendAt() - e.timestamp() == GAP + 1500)).as("updates").hasSizeGreaterThan(10);
        assertThat(plan.stream().filter(e -> e.sendAt() - e.timestamp() > GAP + 1500)).as("merges").hasSizeGreaterThan(5);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger queries = new AtomicInteger();
        List<String> queryErrors = new CopyOnWriteArrayList<>();
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null);
                Elasticsearch sessions = new Elasticsearch(es.httpUrl())) {
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> send(kafka, plan));
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                while (reading.get()) {
                    try {
                        Request search = new Request("GET", "/" + Indices.SESSIONS + "/_search");
                        search.setJsonEntity("{\"size\":5,\"query\":{\"range\":{\"eventCount\":{\"gte\":1}}}}");
                        client.performRequest(search);
                        queries.incrementAndGet();
                    } catch (Exception e) {
                        queryErrors.add(e.toString());
                    }
                }
            });

            // The reindex must run while the job writes: wait until it does.
            await("the job writing sessions").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> sessions.sessions().size() >= VISITORS / 6);
            String v2Template = Indices.template(Indices.SESSIONS)
                    .replaceFirst("\"properties\"\\s*:\\s*\\{", "\"properties\": {\"sessionLabel\": {\"type\": \"keyword\"},");
            List<String> progress = new CopyOnWriteArrayList<>();
            IndexLifecycle lifecycle = new IndexLifecycle(client, alias -> v2Template, progress::add);
            assertThat(lifecycle.init(Indices.SESSIONS)).isEqualTo(Indices.versioned(Indices.SESSIONS, 2));
            lifecycle.reindex(Indices.SESSIONS, 1, 2);
            assertThat(producer.isDone()).as("the reindex ran while events were still produced").isFalse();

            producer.get();
            Map<String, Integer> expected = expectedSessions(plan);
            SessionMarkers markers = new SessionMarkers(config, PARTITIONS);
            markers.send(plan.stream().mapToLong(Planned::timestamp).max().orElseThrow() + 1);
            Map<String, JsonNode> actual = markers.awaitSessions(sessions, Duration.ofSeconds(60));
            reading.set(false);
            reader.get();

            assertThat(queryErrors).isEmpty();
            assertThat(queries.get()).isGreaterThan(50);
            assertThat(eventCounts(actual)).isEqualTo(expected);

            JsonNode alias = JSON.readTree(client.performRequest(new Request("GET", "/_alias/" + Indices.SESSIONS))
                    .getEntity().getContent());
            assertThat(alias.fieldNames()).toIterable().containsExactly(Indices.versioned(Indices.SESSIONS, 2));
            JsonNode mapping = JSON.readTree(client.performRequest(new Request("GET", "/" + Indices.SESSIONS + "/_mapping"))
                    .getEntity().getContent());
            assertThat(mapping.findValue("sessionLabel")).isNotNull();
        } finally {
            reading.set(false);
            job.cancel().get();
        }
    }

    /**
     * Each visitor: two or three bursts of events 300 ms apart, bursts more than the gap apart. Some bursts get
     * an event sent after their session was written (an update); some visitors get an event between their first
     * two bursts sent after both were written (a merge: one document replaces two).
     */
    private static List<Planned> plan(long t0, Random random) {
        List<Planned> plan = new ArrayList<>();
        for (int v = 0; v < VISITORS; v++) {
            String visitor = "reindex-visitor-" + v;
            int eventNo = 0;
            long t = t0 + random.nextInt(3000);
            int bursts = 2 + random.nextInt(2);
            long firstBurstEnd = 0;
            long pause = 0;
            long secondBurstEnd = 0;
            for (int b = 0; b < bursts; b++) {
                if (b > 0) {
                    pause = GAP + 500 + random.nextInt(1000);
                    t += pause;
                }
                int n = 2 + random.nextInt(4);
                for (int i = 0; i < n; i++, t += 300) {
                    plan.add(new Planned(visitor, visitor + "-" + eventNo++, t, t));
                }
                long end = t - 300;
                if (random.nextInt(4) == 0) {
                    plan.add(new Planned(visitor, visitor + "-" + eventNo++, end + 100, end + 100 + GAP + 1500));
                }
                if (b == 0) {
                    firstBurstEnd = end;
                } else if (b == 1) {
                    secondBurstEnd = end;
                    if (random.nextInt(5) == 0) {
                        long bridge = firstBurstEnd + pause / 2;
                        plan.add(new Planned(visitor, visitor + "-" + eventNo++, bridge, secondBurstEnd + GAP + 1500));
                    }
                }
            }
        }
        plan.sort(Comparator.comparingLong(Planned::sendAt));
        return plan;
    }

    private static void send(KafkaBroker kafka, List<Planned> plan) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Planned e : plan) {
                paceUntil(e.sendAt());
                producer.send(new ProducerRecord<>(TOPIC, e.visitorId(), "{\"eventId\":\"" + e.eventId()
                        + "\",\"type\":\"page_view\",\"url\":\"https://shop.example/r\",\"timestamp\":" + e.timestamp()
                        + ",\"visitorId\":\"" + e.visitorId() + "\"}"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pacing, not synchronisation: an event goes out at its planned wall-clock time, as a visitor's browser would send it. */
    private static void paceUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /** The model: per visitor, events in time order, a new session when the next is more than the gap later. */
    private static Map<String, Integer> expectedSessions(List<Planned> plan) {
        Map<String, List<Planned>> byVisitor = new TreeMap<>();
        plan.forEach(e -> byVisitor.computeIfAbsent(e.visitorId(), v -> new ArrayList<>()).add(e));
        Map<String, Integer> sessions = new TreeMap<>();
        for (List<Planned> events : byVisitor.values()) {
            events.sort(Comparator.comparingLong(Planned::timestamp));
            Planned first = null;
            Planned previous = null;
            int count = 0;
            for (Planned e : events) {
                if (previous != null && e.timestamp() - previous.timestamp() > GAP) {
                    sessions.put(SessionIds.of(first.visitorId(), first.timestamp(), first.eventId()), count);
                    first = null;
                }
                if (first == null) {
                    first = e;
                    count = 0;
                }
                count++;
                previous = e;
            }
            sessions.put(SessionIds.of(first.visitorId(), first.timestamp(), first.eventId()), count);
        }
        return sessions;
    }

    private static Map<String, Integer> eventCounts(Map<String, JsonNode> sessions) {
        Map<String, Integer> counts = new TreeMap<>();
        sessions.forEach((id, doc) -> counts.put(id, doc.path("eventCount").asInt()));
        return counts;
    }
}
