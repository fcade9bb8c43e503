package io.webpipe.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * How soon the job's output resumes after its TaskManager is killed under load, on a running local stack (a main,
 * not a test: it measures and asserts nothing). With {@code recovery.events-per-second} (300) page views flowing,
 * each round waits until output flows (every task running, a checkpoint since the last recovery, a
 * session document written recently), then kills the TaskManager with SIGKILL and polls every 100 ms: the stack's
 * pid file for the TaskManager the supervisor starts again, Flink's REST API for its registration, the job's tasks
 * (some not running: the failure was noticed; all running again: recovered) and the first checkpoint triggered after
 * the kill (the job releases its writes when a checkpoint completes), and Elasticsearch for the first session
 * document whose {@code updatedAt} is after the kill. Prints each round, then p50 and max. Flink's REST API caches a
 * job's state for {@code web.refresh-interval} (3 s), so "noticed" and "RUNNING" may be late by that much; the
 * document time is Elasticsearch's own. Rounds follow each other within minutes, so from the second on they measure a
 * crash loop: the supervisor's delay before it starts the TaskManager again doubles ({@code supervise.*}) and so does
 * Flink's restart delay ({@code restart-strategy.exponential-delay.*}), both until 5 minutes without a crash.
 *
 * <p>Usage: {@code RecoveryTime --kafka HOST:PORT --flink URL --elasticsearch URL --home STACK_HOME}
 * [{@code -Drecovery.rounds=5}] [{@code -Drecovery.events-per-second=300}] [{@code -Drecovery.visitors=2000}].
 */
public final class RecoveryTime {
    private static final long POLL_MS = 100;
    private static final long GIVE_UP_MS = 180_000;

    private final StackEndpoints stack;
    private final JsonHttp http = new JsonHttp();
    private final SessionIndex sessions;

    private RecoveryTime(StackEndpoints stack) {
        this.stack = stack;
        this.sessions = new SessionIndex(http, stack.elasticsearch());
    }

    /** Milliseconds from the kill to each event of one round; -1 for what was not seen. */
    record Round(long noticedMs, long processBackMs, long registeredMs, long tasksRunningMs, long checkpointMs, long firstDocumentMs) {}

    public static void main(String[] args) throws Exception {
        StackEndpoints stack = StackEndpoints.parse(args);
        int rounds = Integer.getInteger("recovery.rounds", 5);
        try (SteadyTraffic traffic = new SteadyTraffic(stack.kafka(), Integer.getInteger("recovery.events-per-second", 300),
                Integer.getInteger("recovery.visitors", 2000))) {
            new RecoveryTime(stack).run(rounds);
        }
    }

    private void run(int rounds) throws Exception {
        List<Round> results = new ArrayList<>();
        long recoveredAt = 0;
        for (int r = 1; r <= rounds; r++) {
            FlinkJob job = awaitFlowing(recoveredAt);
            long killedAt = System.currentTimeMillis();
            Round round = killAndWatch(job, killedAt);
            recoveredAt = killedAt + round.tasksRunningMs();
            results.add(round);
            say("round %d: failure noticed %s, TaskManager process started %s, registered %s, all tasks RUNNING %s, "
                    + "first checkpoint completed %s, first new document %s", r, s(round.noticedMs()), s(round.processBackMs()),
                    s(round.registeredMs()), s(round.tasksRunningMs()), s(round.checkpointMs()), s(round.firstDocumentMs()));
        }
        Percentiles documents = seconds(results.stream().mapToLong(Round::firstDocumentMs));
        Percentiles running = seconds(results.stream().mapToLong(Round::tasksRunningMs));
        System.out.printf("RESULT rounds=%d kill_to_first_document_p50_s=%.1f kill_to_first_document_max_s=%.1f "
                        + "kill_to_running_p50_s=%.1f kill_to_running_max_s=%.1f%n", rounds, documents.at(0.5), documents.max(),
                running.at(0.5), running.max());
    }

    /**
     * Every task runs, a checkpoint triggered after {@code recoveredAtMs} (the previous round's recovery) completed, and
     * documents are being written: a steady state to break. Documents reach Elasticsearch after the checkpoint that
     * covers them (the job's interval, 5 s) and a refresh, so "written recently" means an {@code updatedAt} in the last
     * 15 s.
     */
    private FlinkJob awaitFlowing(long recoveredAtMs) throws Exception {
        long deadline = System.currentTimeMillis() + GIVE_UP_MS;
        while (System.currentTimeMillis() < deadline) {
            try {
                FlinkJob job = FlinkJob.find(http, stack.flink());
                JsonNode details = job.details();
                Optional<CheckpointSizes> checkpoint = job.latestCheckpoint();
                if (FlinkJob.allTasksRunning(details) && checkpoint.isPresent() && checkpoint.get().triggeredAtMs() > recoveredAtMs
                        && sessions.updatedAfter(System.currentTimeMillis() - 15_000) > 0) {
                    return job;
                }
            } catch (IOException notYet) {
                // the JobManager or Elasticsearch is busy: ask again
            }
            TimeUnit.MILLISECONDS.sleep(500); // polling the stack
        }
        throw new IllegalStateException("the job did not reach a steady state within " + GIVE_UP_MS / 1000 + " s");
    }

    private Round killAndWatch(FlinkJob job, long killedAt) throws Exception {
        long pid = taskManagerPid();
        Set<String> before = job.taskManagers();
        if (!ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
            throw new IllegalStateException("no TaskManager process " + pid);
        }
        long noticed = -1;
        long processBack = -1;
        long registered = -1;
        long tasksRunning = -1;
        long checkpoint = -1;
        long firstDocument = -1;
        while (System.currentTimeMillis() - killedAt < GIVE_UP_MS && (tasksRunning < 0 || checkpoint < 0 || firstDocument < 0)) {
            long now = System.currentTimeMillis();
            try {
                if (processBack < 0 && taskManagerPid() != pid) {
                    processBack = now - killedAt;
                }
                if (registered < 0 && !before.containsAll(job.taskManagers())) {
                    registered = now - killedAt;
                }
                boolean running = FlinkJob.allTasksRunning(job.details());
                if (noticed < 0 && !running) {
                    noticed = now - killedAt;
                } else if (noticed >= 0 && tasksRunning < 0 && running) {
                    tasksRunning = now - killedAt;
                }
                if (tasksRunning >= 0 && checkpoint < 0
                        && job.latestCheckpoint().filter(c -> c.triggeredAtMs() > killedAt).isPresent()) {
                    checkpoint = now - killedAt;
                }
                if (firstDocument < 0 && sessions.updatedAfter(killedAt) > 0) {
                    firstDocument = now - killedAt;
                }
            } catch (IOException | NumberFormatException busy) {
                // a pid file being rewritten, a REST call that timed out: ask again
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS); // the poll interval of the measurement
        }
        return new Round(noticed, processBack, registered, tasksRunning, checkpoint, firstDocument);
    }

    /** The rounds that saw it (a round that gave up has -1). */
    private static Percentiles seconds(LongStream millis) {
        return new Percentiles(millis.filter(ms -> ms >= 0).mapToObj(ms -> ms / 1000.0).toList());
    }

    private long taskManagerPid() throws IOException {
        return Long.parseLong(Files.readString(stack.taskManagerPidFile()).trim());
    }

    private static String s(long ms) {
        return ms < 0 ? "not seen" : String.format("%.1f s", ms / 1000.0);
    }

    private static void say(String format, Object... args) {
        System.out.printf("[%s] %s%n", Instant.now().toString().substring(11, 19), String.format(format, args));
    }
}
