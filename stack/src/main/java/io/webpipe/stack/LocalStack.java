package io.webpipe.stack;

import io.webpipe.config.Settings;
import io.webpipe.local.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./webpipe up|down|status} ({@link StackCli}): the whole stack on one machine, each part its own process
 * (Kafka, Elasticsearch, Flink JobManager, Flink TaskManager, API, demo traffic), the job submitted through Flink's
 * REST API exactly as a Web UI upload. {@code down} stops the job with a savepoint and {@code up} restores the
 * newest one, so a restart neither loses nor doubles a session. This class is the start-up plan; the parts, the
 * job, the readiness polling and the console each have their own.
 */
public final class LocalStack {
    /** The start-up time of the whole {@code up}, among those of the parts. */
    static final String UP = "up";

    private final StackConfig config;
    private final StackLayout layout;
    private final StackParts parts;
    private final FlinkCluster flink;
    private final FlinkRest flinkRest;
    private final Startup startup = new Startup();
    private final HttpProbe http = new HttpProbe();
    private final JobDeployment job;

    public LocalStack(Settings settings, Path repo) {
        this.config = new StackConfig(settings);
        this.layout = new StackLayout(repo, config.home(), config.savepoints());
        ModuleJars jars = new ModuleJars(layout.repo());
        this.parts = new StackParts(layout, config, jars);
        this.flink = new FlinkCluster(layout, jars.classpath("stack"), config.flinkPorts());
        this.flinkRest = new FlinkRest(flink.restUrl());
        this.job = new JobDeployment(config, layout, jars, flink, flinkRest, startup);
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
        return config.kafkaBootstrap();
    }

    public String elasticsearchUrl() {
        return config.elasticsearchUrl();
    }

    public String apiUrl() {
        return config.apiUrl();
    }

    public void up() throws Exception {
        long started = System.nanoTime();
        Duration timeout = config.startupTimeout();
        Files.createDirectories(layout.logDir());

        Console.step("Kafka (KRaft) on " + config.kafkaBootstrap());
        startup.launch(parts.kafka, parts::startKafka);
        Console.step("Elasticsearch 7.10.2 on " + config.elasticsearchUrl());
        startup.launch(parts.elasticsearch, parts::startElasticsearch);
        Console.step("Flink JobManager and TaskManager, Web UI on " + flink.restUrl());
        startup.launch(flink.jobManager(), flink::startJobManager);
        startup.launch(flink.taskManager(), flink::startTaskManager);

        // All four start at once; each is timed from its own start to its own readiness.
        startup.awaitReady(timeout, List.of(
                new Startup.Readiness(parts.kafka, () -> Files.exists(parts.readyFile(parts.kafka))),
                new Startup.Readiness(parts.elasticsearch, () -> Files.exists(parts.readyFile(parts.elasticsearch))),
                new Startup.Readiness(flink.jobManager(), flinkRest::answers),
                new Startup.Readiness(flink.taskManager(), flinkRest::isReady)));

        job.submitUnlessRunning(timeout);

        Console.step("API and collector on " + config.apiUrl());
        startup.launch(parts.api, parts::startApi);
        startup.awaitReady(timeout, List.of(new Startup.Readiness(parts.api, () -> http.ok(config.apiUrl() + "/health"))));

        if (config.demoEnabled()) {
            Console.step("Demo traffic -> " + config.apiUrl() + "/collect");
            parts.startDemo();
        }

        startup.record(UP, started);
        Console.upReport(config, layout, flink, startup);
    }

    /** The job's command-line arguments for this stack, then {@code overrides} ({@code --key value}). */
    public List<String> jobArguments(String... overrides) {
        return job.arguments(overrides);
    }

    /** Uploads the job jar and runs it as the Web UI would; returns once every task runs. */
    public String submitJob(List<String> jobArguments, Optional<Path> savepoint, Duration timeout) throws Exception {
        return job.submit(jobArguments, savepoint, timeout);
    }

    public void down() throws Exception {
        // Traffic first, then the job with a savepoint, then the processes it writes to.
        stop(parts.demo, Duration.ofSeconds(5));
        stop(parts.api, Duration.ofSeconds(15));
        job.stopWithSavepoint();
        for (ChildProcess p : List.of(flink.taskManager(), flink.jobManager(), parts.elasticsearch, parts.kafka)) {
            stop(p, Duration.ofSeconds(20));
        }
        System.out.println("webpipe is down; data stays in " + layout.home());
    }

    private static void stop(ChildProcess part, Duration grace) {
        if (part.stop(grace)) {
            Console.step("Stopped " + part.name());
        }
    }

    public void status() throws IOException {
        Console.status(layout, parts(), flink, flinkRest);
        Console.keyFigures(KeyFigures.of(http.text(flink.taskManagerMetricsUrl()), http.text(flink.jobManagerMetricsUrl()),
                http.text(config.apiUrl() + "/metrics")));
    }

    public List<ChildProcess> parts() {
        return List.of(parts.kafka, parts.elasticsearch, flink.jobManager(), flink.taskManager(), parts.api, parts.demo);
    }

    /** The newest savepoint in the savepoints folder, if any. */
    public Optional<Path> latestSavepoint() throws IOException {
        return Savepoints.latest(layout.savepointDir());
    }

    /** Start-up time of each part started by the last {@link #up()}, the job, and the whole "up". */
    public Map<String, Duration> startupTimes() {
        return startup.times();
    }

    /** "kafka 5.0 s, elasticsearch 7.1 s, ...": the start-up times of the last {@link #up()}. */
    public String describeStartup() {
        return startup.describe();
    }
}
