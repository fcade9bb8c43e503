package io.webpipe.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.local.ChildProcess;
import io.webpipe.schema.Indices;
import io.webpipe.schema.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The job on the local cluster, through Flink's REST API as the Web UI does it: uploaded and run (restoring the
 * newest savepoint), and stopped with a savepoint.
 */
final class JobDeployment {
    private static final String MIGRATION_MAIN = "io.webpipe.job.upgrade.MigrateWindowState";
    private static final String MIGRATED_SUFFIX = "-migrated";
    private static final String INDEX_MAIN = "io.webpipe.index.IndexCli";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A copy runs at ~10,000 documents a second here; a stopped upgrade is taken up again by the next {@code up}
     * (the version it created is reused, and the copy keeps what is already there).
     */
    private static final Duration INDEX_UPGRADE_TIMEOUT = Duration.ofHours(2);

    private final StackConfig config;
    private final StackLayout layout;
    private final ModuleJars jars;
    private final FlinkCluster flink;
    private final FlinkRest rest;
    private final Startup startup;
    private final HttpProbe http = new HttpProbe();

    JobDeployment(StackConfig config, StackLayout layout, ModuleJars jars, FlinkCluster flink, FlinkRest rest,
            Startup startup) {
        this.config = config;
        this.layout = layout;
        this.jars = jars;
        this.flink = flink;
        this.rest = rest;
        this.startup = startup;
    }

    /** The job's arguments for this stack, then {@code overrides} ({@code --key value}, the last value of a key wins). */
    List<String> arguments(String... overrides) {
        List<String> args = new ArrayList<>(List.of("--kafka.bootstrap-servers", config.kafkaBootstrap(),
                "--elasticsearch.url", config.elasticsearchUrl(), "--session.gap", config.jobSessionGap()));
        args.addAll(List.of(overrides));
        return args;
    }

    /** Submits the job unless it already runs, from the newest savepoint if there is one. */
    void submitUnlessRunning(Duration timeout) throws Exception {
        Optional<FlinkRest.JobStatus> running = liveJob();
        if (running.isPresent()) {
            Console.step("Job '" + Pipeline.JOB_NAME + "' already " + running.get().state() + " (" + running.get().id() + ")");
            return;
        }
        upgradeIndices();
        Optional<Path> savepoint = Savepoints.latest(layout.savepointDir());
        if (savepoint.isPresent()) {
            savepoint = Optional.of(migratedIfNeeded(savepoint.get(), timeout));
        }
        Console.step("Submitting " + layout.repo().relativize(jars.jar("job")) + " through the REST API (as a Web UI upload)"
                + savepoint.map(s -> ", restoring " + s).orElse(""));
        submit(arguments(), savepoint, timeout);
    }

    /**
     * After the supervisor restarted the JobManager: a standalone cluster without high availability forgets its jobs
     * (Flink 1.20 has none but ZooKeeper's and Kubernetes'), so the job is submitted again from the newest retained
     * checkpoint (or savepoint, if newer) once the TaskManager has registered.
     */
    void resumeAfterJobManagerRestart(Duration timeout) throws Exception {
        Startup.awaitCondition(flink.jobManager(), timeout, rest::isReady);
        if (liveJob().isPresent()) {
            return;
        }
        Optional<Path> restorePoint = Savepoints.latestRestorePoint(layout.savepointDir(), layout.dataDir("flink-checkpoints"));
        Console.step("Resubmitting job '" + Pipeline.JOB_NAME + "' after a JobManager restart"
                + restorePoint.map(s -> ", restoring " + s).orElse(""));
        submit(arguments(), restorePoint, timeout);
    }

    /**
     * A savepoint of an older job (with session windows or page windows) cannot be restored as
     * it is: {@code MigrateWindowState} (the job jar's State Processor API program, in a JVM of its own with a local
     * Flink) writes a migrated copy beside it, which is restored instead (and, being newer, by every later {@code up}); the old one stays as it was. Other
     * savepoints come back unchanged.
     */
    private Path migratedIfNeeded(Path savepoint, Duration timeout) throws Exception {
        Path migrated = savepoint.resolveSibling(savepoint.getFileName() + MIGRATED_SUFFIX);
        List<String> args = new ArrayList<>(List.of(savepoint.toString(), migrated.toString()));
        args.addAll(arguments());
        ChildProcess migration = ChildProcess.attached("migrate-savepoint", layout.logDir());
        runToTheEnd(migration, ChildProcess.javaCommand(FlinkCluster.split(flink.javaOptions()),
                jars.jar("job") + ":" + jars.classpath("stack"), MIGRATION_MAIN, args), "the savepoint migration", timeout);
        if (!Files.exists(migrated.resolve("_metadata"))) {
            return savepoint; // the current job's state already
        }
        Console.step("Migrated " + savepoint.getFileName() + " (an older job's session or page windows) to "
                + migrated.getFileName() + " (" + migration.logFile() + ")");
        return migrated;
    }

    /**
     * The job writes into strict mappings, so an index made from an older template would refuse the fields this
     * build's documents gained (dead-lettered). Before the job starts, and while nothing writes, {@code IndexCli
     * upgrade} moves each alias whose index lacks a field of the current template to a new version: init, then
     * reindex with the alias's migration (index/README.md). Nothing happens to an index that is up to date.
     */
    private void upgradeIndices() throws Exception {
        List<String> behind = new ArrayList<>();
        for (String alias : List.of(Indices.SESSIONS, Indices.PAGES)) {
            if (behindTheTemplate(alias)) {
                behind.add(alias);
            }
        }
        if (behind.isEmpty()) {
            return; // the usual case, told without a JVM of its own
        }
        ChildProcess upgrade = ChildProcess.attached("index-upgrade", layout.logDir());
        Console.step("Migrating " + String.join(" and ", behind) + " to the current template (a copy into a new version; "
                + "progress in " + upgrade.logFile() + ")");
        long logged = Files.exists(upgrade.logFile()) ? Files.size(upgrade.logFile()) : 0; // the log is appended to
        List<String> args = new ArrayList<>(List.of("upgrade"));
        args.addAll(behind);
        args.addAll(List.of("--elasticsearch.url", config.elasticsearchUrl()));
        runToTheEnd(upgrade, ChildProcess.javaCommand(List.of(), jars.classpath("index"), INDEX_MAIN, args),
                "the index upgrade", INDEX_UPGRADE_TIMEOUT);
        byte[] log = Files.readAllBytes(upgrade.logFile());
        int from = (int) Math.min(logged, log.length);
        for (String line : new String(log, from, log.length - from, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("done: ")) {
                Console.step("Index migrated to the current template: " + line.substring("done: ".length()) + " (" + upgrade.logFile() + ")");
            }
        }
    }

    /** The alias's index lacks a field of the current template, or the alias is not on one index (the CLI says why). */
    private boolean behindTheTemplate(String alias) throws IOException {
        String es = config.elasticsearchUrl();
        Optional<String> holders = http.text(es + "/_alias/" + alias);
        if (holders.isEmpty()) {
            return false; // no alias yet: the job creates it from the current template
        }
        List<String> indices = new ArrayList<>();
        JSON.readTree(holders.get()).fieldNames().forEachRemaining(indices::add);
        if (indices.size() != 1) {
            return true;
        }
        JsonNode mapping = JSON.readTree(http.text(es + "/" + indices.get(0) + "/_mapping").orElse("{}"));
        JsonNode template = JSON.readTree(Indices.template(alias)).path("mappings");
        return !Indices.missingFields(template, mapping.path(indices.get(0)).path("mappings")).isEmpty();
    }

    /** Starts {@code command} as {@code process} and waits for it to exit with status 0. */
    private static void runToTheEnd(ChildProcess process, List<String> command, String what, Duration timeout) throws Exception {
        process.start(command);
        Optional<ProcessHandle> running = process.handle(); // empty once it has exited
        try {
            if (running.isPresent()) {
                running.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            process.stop(Duration.ofSeconds(5));
            throw process.notReady(what + " did not finish within " + timeout);
        }
        if (process.exitCode().orElse(-1) != 0) {
            throw process.notReady(what + " failed (exit code " + process.exitCode().getAsInt() + ")");
        }
    }

    private Optional<FlinkRest.JobStatus> liveJob() throws IOException {
        return rest.jobs().stream()
                .filter(j -> j.name().equals(Pipeline.JOB_NAME) && !j.ended())
                .findFirst();
    }

    /** Uploads the job jar and runs it; returns once every task runs. */
    String submit(List<String> jobArguments, Optional<Path> savepoint, Duration timeout) throws Exception {
        long started = System.nanoTime();
        Path jar = jars.jar("job");
        String jarId = rest.uploadJar(jar);
        String jobId = rest.runJar(jarId, config.jobParallelism(), jobArguments,
                savepoint.map(p -> p.toUri().toString()).orElse(null));
        // Each up and each resubmission after a JobManager crash uploads the jar (56 MB): the one just run stays in
        // the Web UI's list, the stack's earlier uploads go (a job runs from the copy Flink made at its submission).
        for (String earlier : rest.uploadedJars(jar.getFileName().toString())) {
            if (!earlier.equals(jarId)) {
                rest.deleteJar(earlier);
            }
        }
        System.out.print("    waiting for job " + jobId + " ");
        Startup.awaitCondition(flink.jobManager(), timeout, () -> {
            try {
                return rest.allTasksRunning(jobId);
            } catch (IOException e) {
                return false;
            }
        });
        System.out.printf(" all tasks RUNNING (%.1f s)%n", startup.record("job", started).toMillis() / 1000.0);
        return jobId;
    }

    /**
     * Stops each job of the stack with a savepoint into the savepoints folder, and says whether that worked. Never
     * throws: {@code down} stops every process afterwards, whatever state the job is in.
     */
    void stopWithSavepoint() {
        String noSavepoint = "; the job's last retained checkpoint stays in " + layout.dataDir("flink-checkpoints")
                + " (savepoints/README.md: restore it with ./webpipe flink run -s <chk-dir>)";
        try {
            if (!flink.jobManager().isRunning() || !rest.answers()) {
                Console.step("No savepoint: the JobManager does not run" + noSavepoint);
                return;
            }
            for (FlinkRest.JobStatus job : rest.jobs()) {
                if (!job.name().equals(Pipeline.JOB_NAME) || job.ended()) {
                    continue;
                }
                if (!job.state().equals("RUNNING")) {
                    Console.step("No savepoint: job " + job.id() + " is " + job.state() + noSavepoint);
                    continue;
                }
                Console.step("Stopping job " + job.id() + " with a savepoint");
                String path = rest.stopWithSavepoint(job.id(), layout.savepointDir().toUri().toString(), Duration.ofMinutes(2));
                System.out.println("    savepoint succeeded: " + path);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("    savepoint FAILED (" + e.getMessage() + ")" + noSavepoint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.out.println("    savepoint interrupted" + noSavepoint);
        }
    }
}
