package io.webpipe.stack;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks Flink for a checkpoint as soon as a job that restarted runs again. The job writes its session documents when
 * a checkpoint completes, so after a restart nothing new shows until the first one; Flink's scheduler takes it at a
 * random point of the checkpoint interval after the restart and, when a task is still restoring its state then,
 * waits for the next interval: up to two intervals after the tasks run again (4.8 s of a 15 s recovery, measured).
 * Every supervisor tick (on a thread of its own) this reads the jobs' task counts; a job seen with tasks not running (restarting,
 * deploying, restoring) and then every task running gets one checkpoint requested. A missed window costs only time:
 * the periodic checkpoint still comes.
 */
final class CheckpointAfterRecovery implements AutoCloseable {
    private final FlinkRest rest;
    /** Jobs last seen with some task not running. */
    private final Set<String> recovering = new HashSet<>();
    /** Its own thread: a JobManager that stops answering must not hold up the supervisor's restarts. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "checkpoint-after-recovery");
        t.setDaemon(true);
        return t;
    });

    CheckpointAfterRecovery(FlinkRest rest) {
        this.rest = rest;
    }

    /** Looks at the jobs every {@link Supervisor#TICK}, until {@link #close()}. */
    void start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                System.out.println("supervisor: checkpoint-after-recovery watch: " + e); // an exception would end the ticks
            }
        }, Supervisor.TICK.toMillis(), Supervisor.TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(30, TimeUnit.SECONDS);
    }

    private void tick() {
        List<FlinkRest.JobStatus> jobs;
        try {
            jobs = rest.jobs();
        } catch (IOException e) {
            return; // the JobManager is down or starting: its own watch reports that
        }
        for (String jobId : recovered(jobs)) {
            try {
                rest.triggerCheckpoint(jobId);
                System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " supervisor: every task of job " + jobId
                        + " runs again; checkpoint requested so that writes held for one go out");
            } catch (IOException e) {
                System.out.println("supervisor: checkpoint after the restart of job " + jobId + " not requested: " + e.getMessage());
            }
        }
    }

    /** The jobs whose every task runs now, after they were last seen with some task not running. */
    List<String> recovered(List<FlinkRest.JobStatus> jobs) {
        List<String> recovered = new ArrayList<>();
        Set<String> stillRecovering = new HashSet<>();
        for (FlinkRest.JobStatus job : jobs) {
            if (job.fullyRunning()) {
                if (recovering.contains(job.id())) {
                    recovered.add(job.id());
                }
            } else if (!job.ended()) {
                stillRecovering.add(job.id());
            }
        }
        recovering.clear();
        recovering.addAll(stillRecovering);
        return recovered;
    }
}
