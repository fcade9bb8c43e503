package io.webpipe.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.schema.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How many open sessions one TaskManager holds, on a running local stack (a main, not a test: it measures and
 * asserts nothing). Sends {@code scale.visitors} (1,000,000) new visitors with 1 to 3 page views each, timestamped
 * now, in three rounds (every visitor's first view, then the second views, then the third: a visitor's views are the
 * length of a round apart, so sessions grow and merge as on a site), all within the job's 30-minute gap so that none
 * closes. Then waits until the job's consumer group has no lag (its offsets are committed on checkpoints) and for the
 * next checkpoint after that, and reports the checkpoint's size per open session (in all and per operator), the
 * TaskManager's resident memory ({@code /proc}) and Flink's memory metrics, the session documents in Elasticsearch,
 * and the job's restarts.
 *
 * <p>Usage: {@code OpenSessionsScale --kafka HOST:PORT --flink URL --elasticsearch URL --home STACK_HOME}
 * [{@code -Dscale.visitors=1000000}] [{@code -Dscale.catch-up-timeout=PT20M}]. The stack runs with
 * {@code --job.session-gap 30min} (the job's own default; the stack's demo default of 2 minutes would close them).
 */
public final class OpenSessionsScale {
    private static final String CONSUMER_GROUP = "webpipe-sessions";
    private static final int MAX_EVENTS_PER_VISITOR = 3;
    private static final List<String> TASK_MANAGER_METRICS = List.of("Status.JVM.Memory.Heap.Used", "Status.JVM.Memory.Heap.Max",
            "Status.JVM.Memory.NonHeap.Used", "Status.JVM.Memory.Direct.MemoryUsed", "Status.JVM.Memory.Metaspace.Used",
            "Status.Flink.Memory.Managed.Used", "Status.Flink.Memory.Managed.Total",
            "Status.JVM.GarbageCollector.G1_Young_Generation.Time", "Status.JVM.GarbageCollector.G1_Old_Generation.Count");

    private final StackEndpoints stack;
    private final JsonHttp http = new JsonHttp();
    private final SessionIndex sessions;
    private final ProcessCpu cpu = ProcessCpu.ofThisMachine();
    private final long started = System.nanoTime();

    private OpenSessionsScale(StackEndpoints stack) {
        this.stack = stack;
        this.sessions = new SessionIndex(http, stack.elasticsearch());
    }

    public static void main(String[] args) throws Exception {
        new OpenSessionsScale(StackEndpoints.parse(args)).run(Integer.getInteger("scale.visitors", 1_000_000),
                Duration.parse(System.getProperty("scale.catch-up-timeout", "PT20M")));
    }

    private void run(int visitors, Duration catchUpTimeout) throws Exception {
        FlinkJob job = FlinkJob.find(http, stack.flink());
        long taskManager = taskManagerPid();
        double cpuBefore = cpu.seconds(taskManager);
        say("job %s; TaskManager pid %d, %s", job.id(), taskManager, ProcessMemory.of(taskManager));

        long events = produce(visitors, taskManager);
        double producedAt = seconds();
        try (ConsumerLag lag = new ConsumerLag(stack.kafka(), CONSUMER_GROUP, Pipeline.EVENTS_TOPIC)) {
            long deadline = System.nanoTime() + catchUpTimeout.toNanos();
            for (long left = lag.records(); left > 0; left = lag.records()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("still " + left + " records behind after " + catchUpTimeout);
                }
                say("lag %,d records, TaskManager %s, %,d session documents, job %s", left, ProcessMemory.of(taskManagerPid()),
                        sessions.count(), job.details().path("state").asText());
                TimeUnit.SECONDS.sleep(5); // pacing the progress output, not synchronising
            }
        }
        double caughtUpAt = seconds();
        long caughtUpMs = System.currentTimeMillis();
        double cpuUsed = cpu.seconds(taskManagerPid()) - cpuBefore;
        say("caught up: every record committed %.1f s after the first was sent (%.1f s after the last); TaskManager CPU %.1f s "
                + "(%,.0f events per CPU-second)", caughtUpAt, caughtUpAt - producedAt, cpuUsed, events / cpuUsed);

        CheckpointSizes checkpoint = checkpointTriggeredAfter(job, caughtUpMs);
        report(job, visitors, events, checkpoint, caughtUpAt);
    }

    /** Three rounds: the n-th view of every visitor that has one. Returns the events sent. */
    private long produce(int visitors, long taskManager) {
        String run = Long.toString(Instant.now().getEpochSecond(), 36);
        long sent = 0;
        try (ScaleTraffic traffic = new ScaleTraffic(stack.kafka())) {
            for (int n = 0; n < MAX_EVENTS_PER_VISITOR; n++) {
                for (int v = 0; v < visitors; v++) {
                    if (n < eventsOf(v)) {
                        traffic.send("scale-" + run + "-" + v, v, n);
                        if (++sent % 250_000 == 0) {
                            say("sent %,d events (round %d of %d), %,.0f/s; TaskManager %s", sent, n + 1, MAX_EVENTS_PER_VISITOR,
                                    sent / seconds(), ProcessMemory.of(taskManager));
                        }
                    }
                }
            }
            traffic.flush();
        }
        say("sent %,d events of %,d visitors in %.1f s", sent, visitors, seconds());
        return sent;
    }

    /** 1, 2 or 3 views, evenly. */
    static int eventsOf(long visitor) {
        return 1 + (int) (visitor % MAX_EVENTS_PER_VISITOR);
    }

    private CheckpointSizes checkpointTriggeredAfter(FlinkJob job, long epochMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            Optional<CheckpointSizes> latest = job.latestCheckpoint();
            if (latest.isPresent() && latest.get().triggeredAtMs() > epochMs) {
                return latest.get();
            }
            TimeUnit.SECONDS.sleep(1); // polling Flink's REST API
        }
        throw new IllegalStateException("no checkpoint completed within 5 minutes of catching up");
    }

    private void report(FlinkJob job, int visitors, long events, CheckpointSizes checkpoint, double caughtUpAt) throws Exception {
        long pid = taskManagerPid();
        ProcessMemory memory = ProcessMemory.of(pid);
        JsonNode details = job.details();
        long restarts = job.restarts();
        say("checkpoint %d (triggered %s): full state %,d bytes (stateSize), this checkpoint uploaded %,d bytes (checkpointedSize)",
                checkpoint.id(), Instant.ofEpochMilli(checkpoint.triggeredAtMs()), checkpoint.stateSize(), checkpoint.checkpointedSize());
        checkpoint.byOperator().forEach((name, sizes) -> say("  %-60s stateSize %,15d  checkpointedSize %,15d  %,7.1f bytes/open session",
                name, sizes.stateSize(), sizes.checkpointedSize(), (double) sizes.stateSize() / visitors));
        say("TaskManager pid %d: %s", pid, memory);
        Map<String, String> metrics = job.taskManagerMetrics(TASK_MANAGER_METRICS);
        metrics.forEach((name, value) -> say("  %-55s %s", name, value));
        say("Elasticsearch: %,d session documents, %,d of them live", sessions.count(), sessions.live());
        say("job %s, all tasks running: %s, restarts %d", details.path("state").asText(), FlinkJob.allTasksRunning(details), restarts);
        System.out.printf("RESULT open_sessions=%d events=%d state_bytes=%d checkpointed_bytes=%d bytes_per_open_session=%.0f "
                        + "tm_rss_mib=%d tm_peak_rss_mib=%d catch_up_s=%.1f restarts=%d job_state=%s%n",
                visitors, events, checkpoint.stateSize(), checkpoint.checkpointedSize(), (double) checkpoint.stateSize() / visitors,
                memory.residentBytes() >> 20, memory.peakResidentBytes() >> 20, caughtUpAt, restarts, details.path("state").asText());
    }

    private long taskManagerPid() throws IOException {
        return Long.parseLong(Files.readString(stack.taskManagerPidFile()).trim());
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.printf("[%s] %s%n", Instant.now().toString().substring(11, 19), String.format(format, args));
    }
}
