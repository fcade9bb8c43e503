package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.local.ChildProcess;
import io.webpipe.local.ListeningSockets;
import io.webpipe.schema.Pipeline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The checks a new user makes, on the code of {@code ./webpipe up} ({@link LocalStack}) with free
 * ports and a home under target/: a failed up stops what it started, the stack comes up, Flink's Web UI
 * answers and runs the job, events posted to the collector become the sessions the API returns, the
 * supervisor restarts a killed API, {@code down} leaves no process behind and {@code up} restores the job
 * from its savepoint, a killed JobManager comes back with the job from its checkpoint, and the failure
 * drill: a TaskManager killed while events flow is restarted and loses no session and doubles none.
 *
 * <p>One stack for the whole class (starting one costs half a minute); the steps run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class LocalStackIT {
    private static final ObjectMapper JSON = StackFixture.JSON;
    private static final int E2E_VISITORS = 30;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private StackFixture fixture;
    private LocalStack stack;

    @BeforeAll
    void freshHome() throws IOException {
        fixture = new StackFixture("stack-it", "--job.session-gap", "3s");
        stack = fixture.stack;
    }

    @AfterAll
    void downEvenAfterAFailure() throws Exception {
        stack.down();
    }

    /** Kafka's port is taken: up names Kafka, stops the parts it had started alongside, and leaves nothing running. */
    @Test
    @Order(0)
    void aFailedUpStopsWhatItStartedAndNamesThePart() throws Exception {
        int kafkaPort = Integer.parseInt(stack.kafkaBootstrap().substring(stack.kafkaBootstrap().lastIndexOf(':') + 1));
        try (ServerSocket taken = new ServerSocket(kafkaPort, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(stack::up).hasMessageStartingWith("up failed: kafka exited with code 1 before it was ready")
                    .hasMessageContaining("Stopped what this up had started: ");
        }
        assertThat(stack.parts()).noneMatch(ChildProcess::isRunning);
        String home = stack.layout().home().toString();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().arguments().stream().flatMap(Arrays::stream)
                .anyMatch(arg -> arg.contains(home)))).as("processes of this stack").isEmpty();
    }

    @Test
    @Order(1)
    void upStartsEveryPartAndFlinkRunsTheJob() throws Exception {
        stack.up();
        report("cold up");
        fixture.rememberProcesses();

        List<FlinkRest.JobStatus> jobs = stack.flinkRest().jobs();
        assertThat(jobs).extracting(FlinkRest.JobStatus::name, FlinkRest.JobStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Pipeline.JOB_NAME, "RUNNING"));
        HttpResponse<String> webUi = get(stack.flink().restUrl() + "/");
        assertThat(webUi.statusCode()).isEqualTo(200);
        assertThat(webUi.body()).containsIgnoringCase("<html");
        assertEveryPartListensOnLoopbackOnly();
    }

    /** Safe by default: no port of any part (Flink's REST API runs any jar it is sent) is open to other machines. */
    private void assertEveryPartListensOnLoopbackOnly() {
        Map<String, List<InetSocketAddress>> listening = new TreeMap<>();
        for (ChildProcess part : stack.parts()) {
            part.handle().ifPresent(process -> listening.put(part.name(), Stream.concat(Stream.of(process), process.descendants())
                    .flatMap(p -> ListeningSockets.of(p.pid()).stream())
                    .toList()));
        }
        assertThat(listening).allSatisfy((part, addresses) -> assertThat(addresses).allSatisfy(address ->
                assertThat(address.getAddress().isLoopbackAddress()).as("%s listens on %s", part, address).isTrue()));
        for (String server : List.of("kafka", "elasticsearch", "jobmanager", "taskmanager", "api")) {
            assertThat(listening.get(server)).as("ports of %s", server).isNotEmpty();
        }
    }

    @Test
    @Order(2)
    void eventsPostedToTheCollectorBecomeTheSessionsTheApiReturns() throws Exception {
        // Each visitor: a session of 3 events and, 20 s later (gap 3 s), one of 2 events.
        Instant base = Instant.now().minus(Duration.ofMinutes(5));
        ArrayNode batch = JSON.createArrayNode();
        for (int v = 0; v < E2E_VISITORS; v++) {
            for (long offset : new long[] {0, 1_000, 2_000, 20_000, 21_000}) {
                ObjectNode e = batch.addObject();
                e.put("eventId", visitor(v) + "-" + offset);
                e.put("type", offset == 1_000 ? "click" : "page_view");
                e.put("timestamp", base.plusMillis(v * 100L + offset).toString());
                e.put("visitorId", visitor(v));
                e.put("url", "https://shop.example/e2e/" + offset);
            }
        }
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/collect"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(posted.body()).path("accepted").asInt()).isEqualTo(E2E_VISITORS * 5);

        // Sessions close once event time passes their end: about gap + out-of-orderness after the last event.
        int expected = E2E_VISITORS * 2;
        JsonNode sessions = StackFixture.await(Duration.ofSeconds(90), () -> {
            JsonNode page = JSON.readTree(get(stack.apiUrl() + "/api/sessions?size=500&live=false").body()).path("sessions");
            return page.size() >= expected ? page : null;
        });
        assertThat(sessions).hasSize(expected);
        Map<String, List<Integer>> countsByVisitor = new TreeMap<>();
        for (JsonNode s : sessions) {
            countsByVisitor.computeIfAbsent(s.path("visitorId").asText(), k -> new ArrayList<>()).add(s.path("eventCount").asInt());
        }
        assertThat(countsByVisitor).hasSize(E2E_VISITORS);
        countsByVisitor.values().forEach(counts -> assertThat(counts).containsExactlyInAnyOrder(3, 2));

        JsonNode one = JSON.readTree(get(stack.apiUrl() + "/api/visitors/" + visitor(0) + "/sessions").body());
        assertThat(one.path("sessions")).hasSize(2);
        assertTheMetricsCountedTheEvents();
        report("after the collector test");
    }

    /** The TaskManager's reporter answers on loopback (test 1 proves it listens nowhere else) with the job's metrics. */
    private void assertTheMetricsCountedTheEvents() throws Exception {
        String taskManagerMetrics = stack.flink().taskManagerMetricsUrl();
        assertThat(URI.create(taskManagerMetrics).getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> metrics = get(taskManagerMetrics);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("flink_taskmanager_job_task_operator_eventsDecoded{");
        Map<String, String> figures = KeyFigures.of(Optional.of(metrics.body()),
                Optional.of(get(stack.flink().jobManagerMetricsUrl()).body()), Optional.of(get(stack.apiUrl() + "/metrics").body()));
        assertThat(Long.parseLong(figures.get("eventsDecoded"))).isGreaterThanOrEqualTo(E2E_VISITORS * 5);
        assertThat(Long.parseLong(figures.get("sessionsWritten"))).isGreaterThanOrEqualTo(E2E_VISITORS * 2);
        assertThat(figures.get("collector events")).contains("accepted " + E2E_VISITORS * 5);
        assertThat(figures.get("numRestarts")).isEqualTo("0");
    }

    /** Like pm2: the supervisor starts a killed API again, and status says how often and why. */
    @Test
    @Order(3)
    void aKilledApiIsRestartedAndStatusSaysWhy() throws Exception {
        ProcessHandle killed = fixture.part("api").handle().orElseThrow();
        fixture.part("api").kill();
        killed.onExit().get(10, TimeUnit.SECONDS);

        Supervision.Part api = await().atMost(Duration.ofSeconds(30)).until(
                () -> stack.supervision().flatMap(s -> s.part("api")).orElseThrow(),
                p -> p.restarts() == 1 && p.state().equals("running"));
        assertThat(api.lastExit()).isEqualTo("SIGKILL (exit 137)");
        assertThat(api.pid()).isNotEqualTo(killed.pid());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(stack.apiUrl() + "/health").statusCode() == 200);
        fixture.rememberProcesses();
        assertThat(statusOutput()).containsPattern("\\napi +running +\\d+ MiB +1 +SIGKILL \\(exit 137\\) at \\S+ +\\S*api.log");
    }

    private String statusOutput() throws IOException {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            stack.status();
        } finally {
            System.setOut(console);
        }
        String status = captured.toString(StandardCharsets.UTF_8);
        System.out.print(status);
        return status;
    }

    @Test
    @Order(4)
    void downStopsEveryProcessAndUpRestoresTheSavepointAndKeepsTheData() throws Exception {
        stack.down();
        fixture.assertNoneAlive();
        Optional<Path> savepoint = stack.latestSavepoint();
        assertThat(savepoint).isPresent();

        stack.up();
        report("warm up (restores " + savepoint.get().getFileName() + ")");
        fixture.rememberProcesses();
        FlinkRest.JobStatus job = fixture.runningJob();
        JsonNode restored = stack.flinkRest().get("/jobs/" + job.id() + "/checkpoints").path("latest").path("restored");
        assertThat(restored.path("is_savepoint").asBoolean()).isTrue();
        assertThat(restored.path("external_path").asText()).contains(savepoint.get().getFileName().toString());
        JsonNode sessions = JSON.readTree(get(stack.apiUrl() + "/api/sessions?size=500").body()).path("sessions");
        assertThat(sessions).hasSize(E2E_VISITORS * 2);
    }

    /**
     * Issue 10's live sessions on the stack as deployed: a visitor's open session shows in the API while it is open
     * ({@code live: true}) and becomes the final document under the same id once event time passes it, and the
     * visitor has one document at every look.
     */
    @Test
    @Order(5)
    void anOpenSessionIsLiveThenFinalUnderOneDocument() throws Exception {
        String visitor = "live-" + runId;
        Instant now = Instant.now();
        assertThat(collect(List.of(event(visitor, now.minusSeconds(2), "page_view"), event(visitor, now, "click"))))
                .isEqualTo(2);
        String sessions = stack.apiUrl() + "/api/visitors/" + visitor + "/sessions";
        // A tick may come between the two events (a checkpoint's barrier alignment can hold the second back for a
        // moment), so the first live document may have one of them: the next one has both.
        JsonNode live = await().atMost(Duration.ofSeconds(60)).until(() -> oneDocumentAtMost(sessions),
                s -> s.size() == 1 && s.get(0).path("eventCount").asInt() == 2).get(0);
        assertThat(live.path("live").asBoolean()).isTrue();

        // Event time moves on when every partition has seen a later event: one from each of many visitors.
        Instant later = now.plusSeconds(30);
        List<ObjectNode> clock = new ArrayList<>();
        for (int v = 0; v < 40; v++) {
            clock.add(event("clock-" + runId + "-" + v, later, "page_view"));
        }
        assertThat(collect(clock)).isEqualTo(clock.size());
        JsonNode closed = await().atMost(Duration.ofSeconds(60)).until(() -> oneDocumentAtMost(sessions),
                s -> s.size() == 1 && !s.get(0).path("live").asBoolean()).get(0);
        assertThat(closed.path("sessionId").asText()).isEqualTo(live.path("sessionId").asText());
        assertThat(closed.path("eventCount").asInt()).isEqualTo(2);
    }

    /** The visitor's session documents, failing the test at once when there are two. */
    private JsonNode oneDocumentAtMost(String url) throws Exception {
        JsonNode found = JSON.readTree(get(url).body()).path("sessions");
        assertThat(found.size()).as("documents of one visitor with one session").isLessThanOrEqualTo(1);
        return found;
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static ObjectNode event(String visitor, Instant at, String type) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventId", visitor + "-" + at.toEpochMilli() + "-" + type);
        e.put("type", type);
        e.put("timestamp", at.toString());
        e.put("visitorId", visitor);
        e.put("url", "https://shop.example/live");
        return e;
    }

    /** Posts the events to the collector; returns how many it accepted. */
    private int collect(List<ObjectNode> events) throws Exception {
        ArrayNode batch = JSON.createArrayNode().addAll(events);
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/collect"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(202);
        return JSON.readTree(posted.body()).path("accepted").asInt();
    }

    /**
     * A JobManager forgets its jobs when it dies (no high availability in a standalone cluster): the supervisor
     * starts it again and submits the job from the newest retained checkpoint of the job that ran.
     */
    @Test
    @Order(6)
    void aKilledJobManagerIsRestartedAndTheJobResumesFromItsLatestCheckpoint() throws Exception {
        String before = fixture.runningJob().id();
        await().atMost(Duration.ofSeconds(60)).until(() -> completedCheckpoints(before) >= 1);
        ProcessHandle killed = stack.flink().jobManager().handle().orElseThrow();
        stack.flink().jobManager().kill();
        killed.onExit().get(10, TimeUnit.SECONDS);

        Supervision.Part jobManager = await().atMost(Duration.ofSeconds(30)).until(
                () -> stack.supervision().flatMap(s -> s.part("jobmanager")).orElseThrow(),
                p -> p.restarts() == 1 && p.state().equals("running"));
        assertThat(jobManager.lastExit()).isEqualTo("SIGKILL (exit 137)");
        String after = await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
            String id = fixture.runningJob().id();
            return !id.equals(before) && stack.flinkRest().allTasksRunning(id) ? id : null;
        }, Objects::nonNull);
        // A retained checkpoint restored through savepointPath counts as a savepoint in Flink's REST answer.
        JsonNode restored = stack.flinkRest().get("/jobs/" + after + "/checkpoints").path("latest").path("restored");
        assertThat(restored.path("external_path").asText()).contains("/" + before + "/chk-");
        fixture.rememberProcesses();
    }

    /**
     * The failure drill of savepoints/README.md: a deterministic stream flows into Kafka, the
     * TaskManager is killed (SIGKILL) after a checkpoint, the supervisor starts it again, the job restarts
     * from that checkpoint, and Elasticsearch ends with exactly the expected sessions.
     */
    @Test
    @Order(7)
    void aKilledTaskManagerLosesNoSessionAndDoublesNone() throws Exception {
        String prefix = "drill-" + runId;
        DrillTraffic traffic = new DrillTraffic(prefix, 200, 3);
        String topic = "drill-web-log";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        // The TaskManager's two slots go to the drill job.
        stack.flinkRest().cancel(fixture.runningJob().id());
        StackFixture.await(Duration.ofSeconds(30), () -> stack.flinkRest().jobs().stream().allMatch(j -> j.state().equals("CANCELED")) ? true : null);
        String jobId = stack.submitJob(stack.jobArguments("--kafka.topic", topic, "--kafka.group-id", "webpipe-drill",
                "--checkpoint.interval", "1s"), Optional.empty(), Duration.ofMinutes(2));
        // The jar uploaded by up (and by the JobManager drill's resubmission) went with this upload: one stays listed.
        assertThat(stack.flinkRest().get("/jars").path("files")).hasSize(1);

        // Events flow at a steady pace (about 12 s for all) while the TaskManager dies and comes back.
        AtomicInteger sent = new AtomicInteger();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        Future<?> sending = sender.submit(() -> send(topic, traffic.events, sent));
        try {
            // Kill once a checkpoint taken mid-stream has completed: the restart must resume from inside the stream.
            StackFixture.await(Duration.ofSeconds(60), () -> sent.get() > traffic.events.size() / 4 ? true : null);
            int checkpointsSoFar = completedCheckpoints(jobId);
            StackFixture.await(Duration.ofSeconds(60), () -> completedCheckpoints(jobId) >= checkpointsSoFar + 2 ? true : null);
            int restartsBefore = stack.supervision().flatMap(s -> s.part("taskmanager")).orElseThrow().restarts();
            ProcessHandle killed = stack.flink().taskManager().handle().orElseThrow();
            Path taskManagerTmp = stack.flink().taskManager().scratchDir().orElseThrow();
            List<String> leftByKilled = fileNames(taskManagerTmp);
            long killedAt = System.nanoTime();
            stack.flink().taskManager().kill();
            killed.onExit().get(10, TimeUnit.SECONDS);
            int sentAtKill = sent.get();
            Supervision.Part taskManager = await().atMost(Duration.ofSeconds(30)).until(
                    () -> stack.supervision().flatMap(s -> s.part("taskmanager")).orElseThrow(),
                    p -> p.restarts() == restartsBefore + 1 && p.state().equals("running"));
            assertThat(taskManager.lastExit()).isEqualTo("SIGKILL (exit 137)");
            // Its working directory and unpacked RPC jar (about 120 MB) went with the restart, not kept forever.
            assertThat(leftByKilled).anyMatch(name -> name.startsWith("tm_"));
            assertThat(fileNames(taskManagerTmp)).doesNotContainAnyElementsOf(leftByKilled);
            assertThat(fileNames(stack.layout().logDir())).as("RocksDB's LOG files live with their instances")
                    .noneMatch(name -> name.endsWith("_LOG") || name.equals("rocksdb"));
            fixture.rememberProcesses();
            assertThat(sentAtKill).as("killed while events flow").isLessThan(traffic.events.size());

            StackFixture.await(Duration.ofSeconds(90), () -> restoredCheckpoints(jobId) >= 1 && stack.flinkRest().allTasksRunning(jobId) ? true : null);
            System.out.printf("[stack-it] drill: TaskManager killed after %d of %d events; job %s running again, restored"
                    + " from a checkpoint, %.1f s later%n", sentAtKill, traffic.events.size(), jobId,
                    (System.nanoTime() - killedAt) / 1e9);
            sending.get(60, TimeUnit.SECONDS);
        } finally {
            sender.shutdownNow();
        }
        JsonNode restored = stack.flinkRest().get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        assertThat(restored.path("is_savepoint").asBoolean()).isFalse();

        Map<String, List<DrillTraffic.Session>> actual = StackFixture.await(Duration.ofSeconds(90), () -> {
            Map<String, List<DrillTraffic.Session>> now = drillSessions(prefix);
            return now.values().stream().mapToInt(List::size).sum() >= traffic.sessionCount() ? now : null;
        });
        assertThat(actual).isEqualTo(traffic.expected);
        report("after the failure drill");
    }

    @Test
    @Order(8)
    void downLeavesNoProcessBehind() throws Exception {
        fixture.rememberProcesses();
        stack.down();
        fixture.assertNoneAlive();
        assertThat(stack.parts()).noneMatch(ChildProcess::isRunning);
    }

    private Void send(String topic, List<DrillTraffic.Event> events, AtomicInteger sent) throws InterruptedException {
        try (KafkaProducer<String, String> producer = producer()) {
            for (DrillTraffic.Event e : events) {
                producer.send(new ProducerRecord<>(topic, e.visitorId(), e.json()));
                if (sent.incrementAndGet() % 50 == 0) {
                    producer.flush();
                    Thread.sleep(200); // the pace of the traffic (it flows while the drill kills a part), not a synchronisation
                }
            }
        }
        return null;
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private int completedCheckpoints(String jobId) throws IOException {
        return stack.flinkRest().get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asInt();
    }

    private int restoredCheckpoints(String jobId) throws IOException {
        return stack.flinkRest().get("/jobs/" + jobId + "/checkpoints").path("counts").path("restored").asInt();
    }

    /** The drill's sessions in Elasticsearch, by visitor, in start order. */
    private Map<String, List<DrillTraffic.Session>> drillSessions(String prefix) throws Exception {
        String es = stack.elasticsearchUrl();
        http.send(HttpRequest.newBuilder(URI.create(es + "/web-sessions/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        String query = "{\"size\":10000,\"query\":{\"prefix\":{\"visitorId\":\"" + prefix + "\"}}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(es + "/web-sessions/_search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, List<DrillTraffic.Session>> byVisitor = new TreeMap<>();
        for (JsonNode hit : JSON.readTree(r.body()).path("hits").path("hits")) {
            JsonNode s = hit.path("_source");
            byVisitor.computeIfAbsent(s.path("visitorId").asText(), k -> new ArrayList<>())
                    .add(new DrillTraffic.Session(s.path("visitorId").asText(), Instant.parse(s.path("start").asText()),
                            s.path("eventCount").asInt()));
        }
        byVisitor.values().forEach(l -> l.sort(Comparator.comparing(DrillTraffic.Session::start)));
        return byVisitor;
    }

    /** Start-up time and resident memory of each part, for the README. */
    private void report(String when) {
        Map<String, String> rss = new HashMap<>();
        for (ChildProcess part : stack.parts()) {
            part.rssMib().ifPresent(m -> rss.put(part.name(), m + " MiB"));
        }
        System.out.printf("[stack-it] %s: up in %.1f s (%s); RSS %s%n", when,
                stack.startupTimes().getOrDefault("up", Duration.ZERO).toMillis() / 1000.0, stack.describeStartup(),
                new TreeMap<>(rss));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String visitor(int v) {
        return "e2e-" + runId + "-" + v;
    }
}
