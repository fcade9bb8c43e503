package io.webpipe.stack;

import io.webpipe.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * {@code ./webpipe up|down|status}: the whole stack on one machine, each part its own process
 * (Kafka, Elasticsearch, Flink JobManager, Flink TaskManager, API, demo traffic), the job
 * submitted through Flink's REST API exactly as a Web UI upload. {@code down} stops the job with
 * a savepoint and {@code up} restores the newest one, so a restart neither loses nor doubles a
 * session.
 */
public final class LocalStack {
    static final String JOB_NAME = "webpipe sessions";

    private final Settings settings;
    private final StackLayout layout;
    private final FlinkCluster flink;
    private final FlinkRest flinkRest;
    private final LocalProcess kafka;
    private final LocalProcess elasticsearch;
    private final LocalProcess api;
    private final LocalProcess demo;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Long> startedAt = new HashMap<>();
    private final Map<String, Duration> startupTimes = new LinkedHashMap<>();

    public LocalStack(Settings settings, Path repo) {
        this.settings = settings;
        this.layout = new StackLayout(repo, Path.of(settings.get("stack.home")), Path.of(settings.get("stack.savepoints")));
        this.flink = new FlinkCluster(layout, moduleClasspath("stack"), settings.getInt("flink.rest-port"),
                settings.getInt("flink.rpc-port"));
        this.flinkRest = new FlinkRest(flink.restUrl());
        this.kafka = new LocalProcess(layout, "kafka");
        this.elasticsearch = new LocalProcess(layout, "elasticsearch");
        this.api = new LocalProcess(layout, "api");
        this.demo = new LocalProcess(layout, "demo");
    }

    public static void main(String[] args) throws Exception {
        MaskedConsole.install();
        String command = args.length == 0 ? "status" : args[0];
        String[] rest = args.length == 0 ? args : java.util.Arrays.copyOfRange(args, 1, args.length);
        LocalStack stack = new LocalStack(Settings.load("webpipe-stack.properties", rest), Path.of(""));
        switch (command) {
            case "up": stack.up(); break;
            case "down": stack.down(); break;
            case "status": stack.status(); break;
            default:
                System.err.println("usage: LocalStack up|down|status [--key value ...]");
                System.exit(2);
        }
    }

    public StackLayout layout() {
        return layout;
    }

    public FlinkCluster flink() {
        return flink;
    }

    public FlinkRest flinkRest() {
        return flinkRest;
    }

    public String kafkaBootstrap() {
        return "localhost:" + settings.getInt("kafka.port");
    }

    public String elasticsearchUrl() {
        return "http://localhost:" + settings.getInt("elasticsearch.port");
    }

    /** The API's base URL: localhost when it listens on loopback or on every interface, else its own host. */
    public String apiUrl() {
        String host = settings.get("api.host");
        String urlHost = isLoopbackOrWildcard(host) ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + urlHost + ":" + settings.getInt("api.port");
    }

    private static boolean isLoopbackOrWildcard(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("configuration 'api.host' is not a known host: " + host, e);
        }
    }

    public void up() throws Exception {
        long started = System.nanoTime();
        Duration timeout = settings.getDuration("startup.timeout");
        Files.createDirectories(layout.logDir());

        step("Kafka (KRaft) on " + kafkaBootstrap());
        launch(kafka, () -> kafka.start(localCommand("io.webpipe.local.KafkaBroker",
                "--port", Integer.toString(settings.getInt("kafka.port")),
                "--data", layout.dataDir("kafka").toString(),
                "--topics", "web-log:3,web-log-dlq:1,web-log-late:1",
                "--ready-file", readyFile(kafka).toString()), Map.of()));
        step("Elasticsearch 7.10.2 on " + elasticsearchUrl());
        launch(elasticsearch, () -> elasticsearch.start(localCommand("io.webpipe.local.ElasticsearchNode",
                "--port", Integer.toString(settings.getInt("elasticsearch.port")),
                "--data", layout.dataDir("elasticsearch").toString(),
                "--ready-file", readyFile(elasticsearch).toString()), Map.of()));
        step("Flink JobManager and TaskManager, Web UI on " + flink.restUrl());
        launch(flink.jobManager(), flink::startJobManager);
        launch(flink.taskManager(), flink::startTaskManager);

        // All four start at once; each is timed from its own start to its own readiness.
        awaitReady(timeout, List.of(
                new Readiness(kafka, () -> Files.exists(readyFile(kafka))),
                new Readiness(elasticsearch, () -> Files.exists(readyFile(elasticsearch))),
                new Readiness(flink.jobManager(), flinkRest::answers),
                new Readiness(flink.taskManager(), flinkRest::isReady)));

        submitJob(timeout);

        step("API and collector on " + apiUrl());
        launch(api, () -> api.start(javaCommand(moduleClasspath("api"), "io.webpipe.api.ApiServer",
                "--api.host", settings.get("api.host"),
                "--api.port", Integer.toString(settings.getInt("api.port")),
                "--elasticsearch.url", elasticsearchUrl(),
                "--kafka.bootstrap-servers", kafkaBootstrap(),
                // Its rolling api.log and access.log; the console output goes to logs/api.log.
                "--log.dir", layout.logDir().resolve("api").toString()), Map.of()));
        awaitReady(timeout, List.of(new Readiness(api, () -> httpOk(apiUrl() + "/health"))));

        if (settings.getBoolean("demo.enabled")) {
            step("Demo traffic -> " + apiUrl() + "/collect");
            demo.start(javaCommand(moduleClasspath("stack"), DemoTraffic.class.getName(),
                    "--collector", apiUrl() + "/collect",
                    "--visitors", Integer.toString(settings.getInt("demo.visitors")),
                    "--events-per-second", Integer.toString(settings.getInt("demo.events-per-second"))), Map.of());
        }

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        startupTimes.put("up", took);
        System.out.printf("%nwebpipe is up (%d s; %s). Look here:%n", took.toSeconds(), describeStartup());
        System.out.printf("  Flink Web UI      %s  (job '%s'; Submit New Job uploads a jar)%n", flink.restUrl(), JOB_NAME);
        System.out.printf("  API               %s/health   %s/openapi.json%n", apiUrl(), apiUrl());
        System.out.printf("  Elasticsearch     %s/web-sessions/_count%n", elasticsearchUrl());
        System.out.printf("  Kafka             %s  (topics web-log, web-log-dlq, web-log-late)%n", kafkaBootstrap());
        System.out.printf("  Logs              %s  (./webpipe logs taskmanager)%n", layout.logDir());
        System.out.printf("  Savepoints        %s  (runbook: savepoints/README.md)%n", layout.savepointDir());
        System.out.printf("  Live sessions     curl -s '%s/api/sessions?size=5'%n", apiUrl());
        System.out.println("  A session is written when its visitor has been inactive for " + settings.get("job.session-gap")
                + " (job.session-gap), so the first ones show up a few minutes after start.");
        System.out.println("  Status with ./webpipe status; stop with ./webpipe down (the job stops with a savepoint; up restores it).");
    }

    /**
     * The job's command-line arguments for this stack, then {@code overrides} ({@code --key value},
     * the last value of a key wins).
     */
    public List<String> jobArguments(String... overrides) {
        List<String> args = new ArrayList<>(List.of("--kafka.bootstrap-servers", kafkaBootstrap(),
                "--elasticsearch.url", elasticsearchUrl(), "--session.gap", settings.get("job.session-gap")));
        args.addAll(List.of(overrides));
        return args;
    }

    /** Uploads the job jar and runs it as the Web UI would; returns once every task runs. */
    public String submitJob(List<String> jobArguments, Optional<Path> savepoint, Duration timeout) throws Exception {
        long started = System.nanoTime();
        String jarId = flinkRest.uploadJar(jobJar());
        String jobId = flinkRest.runJar(jarId, settings.getInt("job.parallelism"), jobArguments,
                savepoint.map(p -> p.toUri().toString()).orElse(null), false);
        System.out.print("    waiting for job " + jobId + " ");
        awaitCondition(flink.jobManager(), timeout, () -> {
            try {
                return flinkRest.allTasksRunning(jobId);
            } catch (IOException e) {
                return false;
            }
        });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        startupTimes.put("job", took);
        System.out.printf(" all tasks RUNNING (%.1f s)%n", took.toMillis() / 1000.0);
        return jobId;
    }

    private void submitJob(Duration timeout) throws Exception {
        Optional<FlinkRest.JobStatus> running = flinkRest.jobs().stream()
                .filter(j -> j.name().equals(JOB_NAME) && !isTerminal(j.state()))
                .findFirst();
        if (running.isPresent()) {
            step("Job '" + JOB_NAME + "' already " + running.get().state() + " (" + running.get().id() + ")");
            return;
        }
        Optional<Path> savepoint = latestSavepoint();
        step("Submitting " + layout.repo().relativize(jobJar()) + " through the REST API (as a Web UI upload)"
                + savepoint.map(s -> ", restoring " + s).orElse(""));
        submitJob(jobArguments(), savepoint, timeout);
    }

    public void down() throws Exception {
        // Traffic first, then the job with a savepoint, then the processes it writes to.
        stop(demo, Duration.ofSeconds(5));
        stop(api, Duration.ofSeconds(15));
        if (flink.jobManager().isRunning() && flinkRest.isReady()) {
            for (FlinkRest.JobStatus job : flinkRest.jobs()) {
                if (job.name().equals(JOB_NAME) && job.state().equals("RUNNING")) {
                    step("Stopping job " + job.id() + " with a savepoint");
                    try {
                        String path = flinkRest.stopWithSavepoint(job.id(), layout.savepointDir().toUri().toString(),
                                Duration.ofMinutes(2));
                        System.out.println("    savepoint " + path);
                    } catch (IOException e) {
                        // Stop the processes anyway; the retained checkpoints still hold the state.
                        System.out.println("    savepoint FAILED (" + e.getMessage() + "); the job's last checkpoint stays in "
                                + layout.dataDir("flink-checkpoints") + " (restore it with ./webpipe flink run -s <chk-dir>)");
                    }
                }
            }
        }
        for (LocalProcess p : List.of(flink.taskManager(), flink.jobManager(), elasticsearch, kafka)) {
            stop(p, Duration.ofSeconds(20));
        }
        System.out.println("webpipe is down; data stays in " + layout.home());
    }

    private static void stop(LocalProcess part, Duration grace) {
        if (part.stop(grace)) {
            step("Stopped " + part.name());
        }
    }

    public void status() throws IOException {
        System.out.printf("%-14s %-8s %8s  %s%n", "PART", "STATE", "RSS", "LOG");
        for (LocalProcess p : parts()) {
            System.out.printf("%-14s %-8s %8s  %s%n", p.name(), p.isRunning() ? "running" : "stopped",
                    p.rssMib().map(m -> m + " MiB").orElse("-"), layout.repo().relativize(p.logFile()));
        }
        if (flink.jobManager().isRunning() && flinkRest.isReady()) {
            for (FlinkRest.JobStatus job : flinkRest.jobs()) {
                System.out.printf("%-14s %-8s %s %s%n", "flink job", job.state(), job.id(), job.name());
            }
        }
    }

    public List<LocalProcess> parts() {
        return List.of(kafka, elasticsearch, flink.jobManager(), flink.taskManager(), api, demo);
    }

    /** The newest savepoint in savepoints/, if any. */
    public Optional<Path> latestSavepoint() throws IOException {
        if (!Files.isDirectory(layout.savepointDir())) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(layout.savepointDir())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("savepoint-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(d -> d.resolve("_metadata").toFile().lastModified()));
        }
    }

    Path jobJar() throws IOException {
        try (Stream<Path> jars = Files.list(layout.repo().resolve("job/target"))) {
            return jars.filter(p -> isModuleJar(p, "job"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no job jar in job/target: run ./webpipe build"));
        }
    }

    /** {@code webpipe-<module>.jar} or {@code webpipe-<module>-<version>.jar}; not test, source or pre-shade jars. */
    static boolean isModuleJar(Path file, String module) {
        return file.getFileName().toString().matches("webpipe-" + module + "(-\\d[^-]*(-SNAPSHOT)?)?\\.jar");
    }

    /** A module's jar followed by its runtime classpath (written by the build to target/classpath.txt). */
    String moduleClasspath(String module) {
        Path target = layout.repo().resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            Path jar = files.filter(p -> isModuleJar(p, module))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + target + ": run ./webpipe build"));
            return jar + ":" + Files.readString(target.resolve("classpath.txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("module " + module + " is not built: run ./webpipe build", e);
        }
    }

    private List<String> localCommand(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(javaCommand(moduleClasspath("local"), mainClass, args));
        cmd.addAll(1, List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
        return cmd;
    }

    private static List<String> javaCommand(String classpath, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(FlinkCluster.javaBin(), "-cp", classpath, mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static boolean isTerminal(String state) {
        return List.of("FINISHED", "CANCELED", "FAILED").contains(state);
    }

    private boolean httpOk(String url) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts a part unless it already runs, and remembers when, for its start-up time. */
    private void launch(LocalProcess part, Runnable start) {
        if (part.isRunning()) {
            System.out.println("    " + part.name() + " already running");
            return;
        }
        try {
            Files.deleteIfExists(readyFile(part));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startedAt.put(part.name(), System.nanoTime());
        start.run();
    }

    private Path readyFile(LocalProcess part) {
        return layout.runDir().resolve(part.name() + ".ready");
    }

    /** A part and the check that says it is ready. */
    private record Readiness(LocalProcess part, BooleanSupplier ready) {}

    /**
     * Waits for all parts at once with progress dots, recording each one's start-up time; fails
     * with the part's log tail if it died or timed out.
     */
    private void awaitReady(Duration timeout, List<Readiness> parts) throws InterruptedException {
        List<Readiness> pending = new ArrayList<>(parts);
        long start = System.nanoTime();
        System.out.print("    waiting for " + String.join(", ", pending.stream().map(r -> r.part().name()).toList()) + " ");
        for (int tick = 0; !pending.isEmpty(); tick++) {
            for (Iterator<Readiness> it = pending.iterator(); it.hasNext(); ) {
                Readiness r = it.next();
                if (r.ready().getAsBoolean()) {
                    it.remove();
                    Long partStart = startedAt.get(r.part().name());
                    if (partStart != null) {
                        Duration took = Duration.ofNanos(System.nanoTime() - partStart);
                        startupTimes.put(r.part().name(), took);
                        System.out.printf("%n    %s ready (%.1f s)", r.part().name(), took.toMillis() / 1000.0);
                    }
                } else {
                    failIfDeadOrLate(r.part(), start, timeout);
                }
            }
            if (!pending.isEmpty()) {
                if (tick % 4 == 0) {
                    System.out.print(".");
                    System.out.flush();
                }
                Thread.sleep(250);
            }
        }
        System.out.println();
    }

    private static void awaitCondition(LocalProcess part, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            failIfDeadOrLate(part, start, timeout);
            System.out.print(".");
            System.out.flush();
            Thread.sleep(500);
        }
    }

    private static void failIfDeadOrLate(LocalProcess part, long start, Duration timeout) {
        if (!part.isRunning()) {
            System.out.println(" FAILED");
            throw new IllegalStateException(part.name() + " exited; last log lines of " + part.logFile()
                    + ":\n" + part.logTail(30));
        }
        if (System.nanoTime() - start > timeout.toNanos()) {
            System.out.println(" TIMEOUT");
            throw new IllegalStateException(part.name() + " not ready after " + timeout.toSeconds()
                    + " s; last log lines of " + part.logFile() + ":\n" + part.logTail(30));
        }
    }

    /** Start-up time of each part started by the last {@link #up()}, the job, and the whole "up". */
    public Map<String, Duration> startupTimes() {
        return Collections.unmodifiableMap(startupTimes);
    }

    /** "kafka 5.0 s, elasticsearch 7.1 s, ...": the start-up times of the last {@link #up()}. */
    public String describeStartup() {
        List<String> parts = new ArrayList<>();
        startupTimes.forEach((name, took) -> {
            if (!name.equals("up")) {
                parts.add(String.format("%s %.1f s", name, took.toMillis() / 1000.0));
            }
        });
        return parts.isEmpty() ? "everything was already running" : String.join(", ", parts);
    }

    private static void step(String what) {
        System.out.println("==> " + what);
    }
}
