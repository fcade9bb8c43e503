package io.webpipe.stack;

import io.webpipe.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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

    public LocalStack(Settings settings, Path repo) {
        this.settings = settings;
        this.layout = new StackLayout(repo, Path.of(settings.get("stack.home")));
        this.flink = new FlinkCluster(layout, moduleClasspath("stack"), settings.getInt("flink.rest-port"));
        this.flinkRest = new FlinkRest(flink.restUrl());
        this.kafka = new LocalProcess(layout, "kafka");
        this.elasticsearch = new LocalProcess(layout, "elasticsearch");
        this.api = new LocalProcess(layout, "api");
        this.demo = new LocalProcess(layout, "demo");
    }

    public static void main(String[] args) throws Exception {
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

    public String apiUrl() {
        return "http://localhost:" + settings.getInt("api.port");
    }

    public void up() throws Exception {
        long started = System.nanoTime();
        Duration timeout = settings.getDuration("startup.timeout");
        Files.createDirectories(layout.logDir());

        step("Kafka (KRaft) on " + kafkaBootstrap());
        kafka.start(localCommand("io.webpipe.local.KafkaBroker",
                "--port", Integer.toString(settings.getInt("kafka.port")),
                "--data", layout.dataDir("kafka").toString(),
                "--topics", "web-log:3,web-log-dlq:1,web-log-late:1"), Map.of());
        step("Elasticsearch 7.10.2 on " + elasticsearchUrl());
        elasticsearch.start(localCommand("io.webpipe.local.ElasticsearchNode",
                "--port", Integer.toString(settings.getInt("elasticsearch.port")),
                "--data", layout.dataDir("elasticsearch").toString()), Map.of());
        step("Flink JobManager and TaskManager, Web UI on " + flink.restUrl());
        flink.startJobManager();
        flink.startTaskManager();

        waitFor(kafka, timeout, () -> portOpen(settings.getInt("kafka.port")) && kafkaTopicsReady());
        waitFor(elasticsearch, timeout, () -> httpOk(elasticsearchUrl() + "/_cluster/health?wait_for_status=yellow&timeout=1s"));
        waitFor(flink.jobManager(), timeout, flinkRest::isReady);

        submitJob(timeout);

        step("API and collector on " + apiUrl());
        api.start(javaCommand(moduleClasspath("api"), "io.webpipe.api.ApiServer",
                "--port", Integer.toString(settings.getInt("api.port")),
                "--elasticsearch.url", elasticsearchUrl(),
                "--kafka.bootstrap-servers", kafkaBootstrap(),
                "--log.dir", layout.logDir().toString()), Map.of());
        waitFor(api, timeout, () -> httpOk(apiUrl() + "/health"));

        step("Demo traffic -> " + apiUrl() + "/collect");
        demo.start(javaCommand(moduleClasspath("stack"), DemoTraffic.class.getName(),
                "--collector", apiUrl() + "/collect",
                "--visitors", Integer.toString(settings.getInt("demo.visitors")),
                "--events-per-second", Integer.toString(settings.getInt("demo.events-per-second"))), Map.of());

        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.printf("%nwebpipe is up (%d s). Look here:%n", seconds);
        System.out.printf("  Flink Web UI      %s  (job '%s'; Submit New Job uploads a jar)%n", flink.restUrl(), JOB_NAME);
        System.out.printf("  API               %s/health   %s/openapi.json%n", apiUrl(), apiUrl());
        System.out.printf("  Elasticsearch     %s/web-sessions/_count%n", elasticsearchUrl());
        System.out.printf("  Kafka             %s  (topics web-log, web-log-dlq, web-log-late)%n", kafkaBootstrap());
        System.out.printf("  Logs              %s%n", layout.logDir());
        System.out.printf("  Live sessions     curl -s '%s/api/sessions?size=5'%n", apiUrl());
        System.out.println("  A session is written when its visitor has been inactive for " + settings.get("job.session-gap")
                + " (job.session-gap), so the first ones show up a few minutes after start.");
        System.out.println("  Stop with ./webpipe down (the job stops with a savepoint; up restores it).");
    }

    private void submitJob(Duration timeout) throws Exception {
        Optional<FlinkRest.JobStatus> running = flinkRest.jobs().stream()
                .filter(j -> j.name().equals(JOB_NAME) && !isTerminal(j.state()))
                .findFirst();
        if (running.isPresent()) {
            step("Job '" + JOB_NAME + "' already " + running.get().state() + " (" + running.get().id() + ")");
            return;
        }
        Path jar = jobJar();
        Optional<Path> savepoint = latestSavepoint();
        step("Submitting " + layout.repo().relativize(jar) + " through the REST API (as a Web UI upload)"
                + savepoint.map(s -> ", restoring " + layout.repo().relativize(s)).orElse(""));
        String jarId = flinkRest.uploadJar(jar);
        String jobId = flinkRest.runJar(jarId, settings.getInt("job.parallelism"),
                List.of("--kafka.bootstrap-servers", kafkaBootstrap(), "--elasticsearch.url", elasticsearchUrl(),
                        "--session.gap", settings.get("job.session-gap")),
                savepoint.map(p -> p.toUri().toString()).orElse(null), false);
        waitFor(flink.jobManager(), timeout, () -> {
            try {
                return flinkRest.jobState(jobId).equals("RUNNING");
            } catch (IOException e) {
                return false;
            }
        });
        System.out.println("    job " + jobId + " RUNNING");
    }

    public void down() throws Exception {
        demo.stop(Duration.ofSeconds(5));
        api.stop(Duration.ofSeconds(15));
        if (flink.jobManager().isRunning() && flinkRest.isReady()) {
            for (FlinkRest.JobStatus job : flinkRest.jobs()) {
                if (job.name().equals(JOB_NAME) && job.state().equals("RUNNING")) {
                    step("Stopping job " + job.id() + " with a savepoint");
                    String path = flinkRest.stopWithSavepoint(job.id(), layout.savepointDir().toUri().toString(),
                            Duration.ofMinutes(2));
                    System.out.println("    savepoint " + path);
                }
            }
        }
        for (LocalProcess p : List.of(flink.taskManager(), flink.jobManager(), api, elasticsearch, kafka)) {
            if (p.stop(Duration.ofSeconds(20))) {
                step("Stopped " + p.name());
            }
        }
        System.out.println("webpipe is down; data stays in " + layout.home());
    }

    public void status() throws IOException {
        System.out.printf("%-12s %-8s %8s  %s%n", "PART", "STATE", "RSS", "LOG");
        for (LocalProcess p : parts()) {
            System.out.printf("%-12s %-8s %8s  %s%n", p.name(), p.isRunning() ? "running" : "stopped",
                    p.rssMib().map(m -> m + " MiB").orElse("-"), layout.repo().relativize(p.logFile()));
        }
        if (flink.jobManager().isRunning() && flinkRest.isReady()) {
            for (FlinkRest.JobStatus job : flinkRest.jobs()) {
                System.out.printf("flink job    %-8s %s %s%n", job.state(), job.id(), job.name());
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
            return jars.filter(p -> p.getFileName().toString().matches("webpipe-job-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("original"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no job jar in job/target: run ./webpipe build"));
        }
    }

    /** A module's jar followed by its runtime classpath (written by the build to target/classpath.txt). */
    String moduleClasspath(String module) {
        Path target = layout.repo().resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            Path jar = files.filter(p -> p.getFileName().toString().matches("webpipe-" + module + "-[^-]+(-SNAPSHOT)?\\.jar"))
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

    private boolean kafkaTopicsReady() {
        // The broker process creates the topics, then prints this line.
        return kafka.logTail(200).contains("READY kafka");
    }

    private static boolean isTerminal(String state) {
        return List.of("FINISHED", "CANCELED", "FAILED").contains(state);
    }

    private boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
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

    /** Waits with progress dots; fails with the part's log tail if it died or timed out. */
    private static void waitFor(LocalProcess part, Duration timeout, BooleanSupplier ready) throws InterruptedException {
        long start = System.nanoTime();
        System.out.print("    waiting for " + part.name() + " ");
        while (!ready.getAsBoolean()) {
            if (!part.isRunning()) {
                System.out.println("FAILED");
                throw new IllegalStateException(part.name() + " exited; last log lines of " + part.logFile()
                        + ":\n" + part.logTail(30));
            }
            if (System.nanoTime() - start > timeout.toNanos()) {
                System.out.println("TIMEOUT");
                throw new IllegalStateException(part.name() + " not ready after " + timeout.toSeconds()
                        + " s; last log lines of " + part.logFile() + ":\n" + part.logTail(30));
            }
            System.out.print(".");
            System.out.flush();
            Thread.sleep(1000);
        }
        System.out.printf(" ready (%.1f s)%n", (System.nanoTime() - start) / 1e9);
    }

    private static void step(String what) {
        System.out.println("==> " + what);
    }
}
