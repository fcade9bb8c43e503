package io.webpipe.stack;

import io.webpipe.config.Settings;
import io.webpipe.local.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./webpipe up|down|status} ({@link StackCli}): the whole stack on one machine, each part its own process
 * (Kafka, Elasticsearch, Flink JobManager, Flink TaskManager, API, demo traffic), the job submitted through Flink's
 * REST API exactly as a Web UI upload, then a {@link Supervisor} restarts any part that dies and a
 * {@link CheckpointAfterRecovery} speeds up a restarted job's first writes ({@code ./webpipe up}
 * runs all this in a detached {@link SupervisorProcess}). {@code down} stops the supervisor, the job with a savepoint
 * and every part, and {@code up} restores the newest savepoint, so a restart neither loses nor doubles a session.
 * This class is the start-up plan; the parts, the job, the readiness polling, the supervision and the console each
 * have their own.
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
    private final SupervisorProcess supervisorProcess;
    /** The supervision of the parts this JVM started, from {@link #up()} to {@link #down()}. */
    private Supervisor supervisor;
    /** With the supervision: a checkpoint as soon as a restarted job runs again. */
    private CheckpointAfterRecovery checkpointAfterRecovery;

    public LocalStack(Settings settings, Path repo) {
        this.config = new StackConfig(settings);
        this.layout = new StackLayout(repo, config.home(), config.savepoints());
        ModuleJars jars = new ModuleJars(layout.repo());
        this.parts = new StackParts(layout, config, jars);
        this.flink = new FlinkCluster(layout, jars.classpath("stack"), config.flinkPorts(), config.logPolicy());
        this.flinkRest = new FlinkRest(flink.restUrl());
        this.job = new JobDeployment(config, layout, jars, flink, flinkRest, startup);
        this.supervisorProcess = new SupervisorProcess(layout);
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

    /**
     * Starts every part that does not run, submits the job, then supervises the parts from this JVM until
     * {@link #down()}. When a part fails to start, stops what this call started and throws, naming the part.
     */
    public void up() throws Exception {
        long started = System.nanoTime();
        // An up on a stack that is up starts what is missing, then supervises every part anew; meanwhile nothing
        // restarts a part (a failed up stops what it started).
        stopSupervising();
        int launchedBefore = startup.launched().size();
        try {
            startParts();
        } catch (Exception e) {
            List<ChildProcess> launched = startup.launched().subList(launchedBefore, startup.launched().size());
            throw new IllegalStateException("up failed: " + e.getMessage() + "\n" + stopAfterFailure(launched), e);
        }
        startup.record(UP, started);
        Console.upReport(config, layout, flink, startup);
        supervisor = new Supervisor(layout, parts(), config.supervision(), this::afterRestart);
        supervisor.start();
        checkpointAfterRecovery = new CheckpointAfterRecovery(flinkRest);
        checkpointAfterRecovery.start();
    }

    private void startParts() throws Exception {
        Duration timeout = config.startupTimeout();
        Files.createDirectories(layout.logDir());

        Console.step("Kafka (KRaft) on " + config.kafkaBootstrap());
        parts.kafkaBrokers().forEach(broker -> startup.launch(broker, () -> parts.startKafka(broker)));
        Console.step("Elasticsearch 7.10.2 on " + config.elasticsearchUrl());
        startup.launch(parts.elasticsearch, parts::startElasticsearch);
        Console.step("Flink JobManager and TaskManager, Web UI on " + flink.restUrl());
        startup.launch(flink.jobManager(), flink::startJobManager);
        startup.launch(flink.taskManager(), flink::startTaskManager);

        // All start at once; each is timed from its own start to its own readiness.
        startup.awaitReady(timeout, Stream.concat(parts.kafkaBrokers().stream()
                .map(broker -> new Startup.Readiness(broker, () -> Files.exists(parts.readyFile(broker)))), Stream.of(
                new Startup.Readiness(parts.elasticsearch, () -> Files.exists(parts.readyFile(parts.elasticsearch))),
                new Startup.Readiness(flink.jobManager(), flinkRest::answers),
                new Startup.Readiness(flink.taskManager(), flinkRest::isReady))).toList());

        try {
            job.submitUnlessRunning(timeout);
        } catch (Exception e) {
            throw new IllegalStateException("the job did not start: " + e.getMessage() + ". From "
                    + flink.jobManager().logFile() + ":\n" + flink.jobManager().logTail(), e);
        }

        Console.step("API and collector on " + config.apiUrl());
        startup.launch(parts.api, parts::startApi);
        startup.awaitReady(timeout, List.of(new Startup.Readiness(parts.api, () -> http.ok(config.apiUrl() + "/health"))));

        if (config.demoEnabled()) {
            Console.step("Demo traffic -> " + config.apiUrl() + "/collect");
            startup.launch(parts.demo, parts::startDemo);
        }
    }

    /** Stops {@code launched}, newest first; says which. */
    private static String stopAfterFailure(List<ChildProcess> launched) {
        List<ChildProcess> newestFirst = new ArrayList<>(launched);
        Collections.reverse(newestFirst);
        List<String> stopped = new ArrayList<>();
        for (ChildProcess part : newestFirst) {
            if (part.stop(Duration.ofSeconds(20))) {
                stopped.add(part.name());
            }
        }
        return stopped.isEmpty() ? "Nothing was left running." : "Stopped what this up had started: " + String.join(", ", stopped) + ".";
    }

    /** The JobManager forgets its jobs when it restarts (no high availability): the job is submitted again. */
    private void afterRestart(ChildProcess part) {
        if (part == flink.jobManager()) {
            CompletableFuture.runAsync(() -> {
                try {
                    job.resumeAfterJobManagerRestart(config.startupTimeout());
                } catch (Exception e) {
                    System.out.println("supervisor: the job was not resubmitted after the JobManager restart: " + e.getMessage());
                }
            });
        }
    }

    /**
     * {@code ./webpipe up}: starts this stack in a detached supervisor process ({@code StackCli supervise} with the
     * same {@code settings}) that owns every part, and prints its output until the stack is up or has failed.
     * Returns whether it came up.
     */
    public boolean upSupervised(List<String> settings) throws Exception {
        if (supervisorProcess.isRunning()) {
            System.out.println("webpipe is already up, supervised by pid " + supervisorProcess.pid()
                    + " (./webpipe status; ./webpipe down stops it)");
            return true;
        }
        return supervisorProcess.launchAndFollow(settings);
    }

    /** {@code StackCli supervise}: {@link #up()}, then supervise until SIGTERM ({@code down}); returns the exit status. */
    public int superviseUntilStopped() throws Exception {
        new Supervision(Supervision.STARTING, ProcessHandle.current().pid(), "", List.of()).write(layout);
        try {
            up();
        } catch (Exception e) {
            System.out.println("error: " + e.getMessage());
            new Supervision(Supervision.FAILED, ProcessHandle.current().pid(), e.getMessage(), List.of()).write(layout);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopSupervising, "stop-supervisor"));
        new CountDownLatch(1).await();
        return 0;
    }

    private synchronized void stopSupervising() {
        try {
            if (checkpointAfterRecovery != null) {
                checkpointAfterRecovery.close();
                checkpointAfterRecovery = null;
            }
            if (supervisor != null) {
                supervisor.close();
                supervisor = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The job's command-line arguments for this stack, then {@code overrides} ({@code --key value}). */
    public List<String> jobArguments(String... overrides) {
        return job.arguments(overrides);
    }

    /** Uploads the job jar and runs it as the Web UI would; returns once every task runs. */
    public String submitJob(List<String> jobArguments, Optional<Path> savepoint, Duration timeout) throws Exception {
        return job.submit(jobArguments, savepoint, timeout);
    }

    /** Stops the supervisor first (so that nothing restarts a part), then every part; the data stays. */
    public void down() throws Exception {
        stopSupervising();
        if (supervisorProcess.stop()) {
            Console.step("Stopped the supervisor");
        }
        // Traffic first, then the job with a savepoint, then the processes it writes to.
        stop(parts.demo, Duration.ofSeconds(5));
        stop(parts.api, Duration.ofSeconds(15));
        job.stopWithSavepoint();
        for (ChildProcess p : List.of(flink.taskManager(), flink.jobManager(), parts.elasticsearch)) {
            stop(p, Duration.ofSeconds(20));
        }
        parts.stopKafka(broker -> stop(broker, Duration.ofSeconds(20)));
        System.out.println("webpipe is down; data stays in " + layout.home());
    }

    private static void stop(ChildProcess part, Duration grace) {
        if (part.stop(grace)) {
            Console.step("Stopped " + part.name());
        }
    }

    public void status() throws IOException {
        Console.status(layout, parts(), flink, flinkRest, supervision());
        Console.keyFigures(KeyFigures.of(http.text(flink.taskManagerMetricsUrl()), http.text(flink.jobManagerMetricsUrl()),
                http.text(config.apiUrl() + "/metrics")));
    }

    public List<ChildProcess> parts() {
        return Stream.concat(parts.kafkaBrokers().stream(),
                Stream.of(parts.elasticsearch, flink.jobManager(), flink.taskManager(), parts.api, parts.demo)).toList();
    }

    /** What the supervisor last wrote: each part's restarts and last exit. */
    public Optional<Supervision> supervision() {
        return Supervision.read(layout);
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
