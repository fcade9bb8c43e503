package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.config.Settings;
import io.webpipe.local.ChildProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What every real-stack test needs: a {@link LocalStack} exactly as {@code ./webpipe up} builds it,
 * with free ports and a fresh home under {@code target/}, every process it ever started (none may
 * outlive the test), polling with a deadline, and the readers a drill checks its results with
 * (Kafka topics from the beginning, session documents in Elasticsearch, the job's failure history).
 */
final class StackFixture {
    /** Where {@link #freePort} looks: below Linux's ephemeral ports (32768-60999), above most well-known services. */
    private static final int FIRST_PORT = 20_000;
    private static final int PORTS = 12_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    final LocalStack stack;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Every process any step started: none may outlive the final down. */
    private final Set<ProcessHandle> processes = new HashSet<>();

    /**
     * A stack with its home in {@code stack/target/<name>} (emptied first), every port free, the demo
     * off, then {@code overrides} ({@code --key value}).
     */
    StackFixture(String name, String... overrides) throws IOException {
        Path home = REPO.resolve("stack/target").resolve(name);
        if (Files.exists(home)) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        List<String> args = new ArrayList<>(List.of(
                "--stack.home", home.toString(),
                "--stack.savepoints", home.resolve("savepoints").toString(),
                "--kafka.port", freePort(),
                "--elasticsearch.port", freePort(),
                "--flink.rest-port", freePort(),
                "--flink.rpc-port", freePort(),
                "--flink.jobmanager-metrics-port", freePort(),
                "--flink.taskmanager-metrics-port", freePort(),
                "--api.port", freePort(),
                "--demo.enabled", "false"));
        args.addAll(List.of(overrides));
        stack = new LocalStack(Settings.load("webpipe-stack.properties", args.toArray(String[]::new), Map.of()), REPO);
    }

    /** Remembers every process of every part that runs now (call after each start). */
    void rememberProcesses() {
        for (ChildProcess part : stack.parts()) {
            part.handle().ifPresent(p -> {
                processes.add(p);
                p.descendants().forEach(processes::add);
            });
        }
    }

    void assertNoneAlive() {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> processes.stream().noneMatch(ProcessHandle::isAlive));
        } catch (ConditionTimeoutException stillAlive) {
            // reported below, with the processes
        }
        assertThat(processes.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().command().orElse("")))
                .as("processes left behind").isEmpty();
    }

    /** {@code down}, then nothing this fixture ever saw may still run. */
    void downAndAssertNoneAlive() throws Exception {
        rememberProcesses();
        stack.down();
        assertNoneAlive();
    }

    ChildProcess part(String name) {
        return stack.parts().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    // --- Flink ---

    FlinkRest.JobStatus runningJob() throws IOException {
        return stack.flinkRest().jobs().stream().filter(j -> j.state().equals("RUNNING")).findFirst().orElseThrow();
    }

    /**
     * The job's failures as Flink records them: the entries of its exception history (each failure that
     * restarted or failed the job), as "timestamp exceptionName: stack trace head" lines. Empty means the
     * job never restarted.
     */
    List<String> failureHistory(String jobId) throws IOException {
        JsonNode history = stack.flinkRest().get("/jobs/" + jobId + "/exceptions").path("exceptionHistory");
        assertThat(history.has("entries")).as("Flink's REST answer has an exception history").isTrue();
        List<String> failures = new ArrayList<>();
        for (JsonNode entry : history.path("entries")) {
            String trace = entry.path("stacktrace").asText();
            failures.add(entry.path("timestamp").asLong() + " " + entry.path("exceptionName").asText() + " on "
                    + entry.path("taskName").asText("-") + ": " + trace.substring(0, Math.min(trace.length(), 3000)));
        }
        return failures;
    }

    /** The job runs and never restarted: read from Flink, not inferred. */
    void assertRunningWithoutRestarts(String jobId) throws IOException {
        assertThat(failureHistory(jobId)).as("exception history of job %s (every restart is an entry)", jobId).isEmpty();
        assertThat(stack.flinkRest().get("/jobs/" + jobId).path("state").asText()).as("state of job %s", jobId)
                .isEqualTo("RUNNING");
        assertThat(stack.flinkRest().allTasksRunning(jobId)).as("every task of job %s runs", jobId).isTrue();
    }

    // --- Kafka ---

    KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every record of {@code topic} up to its current end. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(2 * 1024 * 1024));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    // --- Elasticsearch ---

    /** The {@code _source} of every session document (refreshed first). */
    List<JsonNode> allSessions() throws IOException, InterruptedException {
        String es = stack.elasticsearchUrl();
        http.send(HttpRequest.newBuilder(URI.create(es + "/web-sessions/_refresh")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(es + "/web-sessions/_search"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"size\":10000,\"query\":{\"match_all\":{}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("search: " + r.statusCode() + " " + r.body());
        }
        JsonNode hits = JSON.readTree(r.body()).path("hits");
        assertThat(hits.path("total").path("value").asInt()).as("sessions fit in one search").isLessThan(10_000);
        List<JsonNode> sessions = new ArrayList<>();
        hits.path("hits").forEach(hit -> sessions.add(hit.path("_source")));
        return sessions;
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // --- polling ---

    /** Polls until {@code probe} returns non-null; its last failure explains a timeout. */
    static <T> T await(Duration timeout, Callable<T> probe) throws Exception {
        return await(timeout, probe, () -> "");
    }

    /**
     * Polls until {@code probe} returns non-null; on a timeout the error says what {@code lastSeen}
     * describes (for example the difference still left) and carries the probe's last failure.
     */
    static <T> T await(Duration timeout, Callable<T> probe, Callable<String> lastSeen) throws Exception {
        return await(timeout, Duration.ofMillis(500), probe, lastSeen);
    }

    /** As above, polling every {@code interval} (for probes that read a lot). */
    static <T> T await(Duration timeout, Duration interval, Callable<T> probe, Callable<String> lastSeen) throws Exception {
        try {
            return Awaitility.await().atMost(timeout).pollInterval(interval).ignoreExceptionsInstanceOf(IOException.class)
                    .until(probe, Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            String seen;
            try {
                seen = lastSeen.call();
            } catch (Exception unreadable) {
                seen = "(" + unreadable + ")";
            }
            throw new AssertionError("not within " + timeout + (seen.isEmpty() ? "" : ": " + seen), e);
        }
    }

    /**
     * A free loopback port below the kernel's ephemeral range (from 32768 on Linux), never the same twice in this
     * JVM. A port the kernel hands out for {@code bind(0)} is also one it hands out as the local port of an outgoing
     * connection: between the choice and the part binding it, another process of the starting stack took one
     * ("Address already in use" from Elasticsearch, once in a full run).
     */
    static String freePort() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = FIRST_PORT + ThreadLocalRandom.current().nextInt(PORTS);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return Integer.toString(socket.getLocalPort());
            } catch (IOException taken) {
                // in use: another one
            }
        }
        throw new IllegalStateException("no free port from " + FIRST_PORT + " to " + (FIRST_PORT + PORTS - 1));
    }

    /** {@code count} distinct free ports ({@link #freePort}), comma-separated. */
    static String freePorts(int count) {
        return String.join(",", Stream.generate(StackFixture::freePort).limit(count).toList());
    }
}
