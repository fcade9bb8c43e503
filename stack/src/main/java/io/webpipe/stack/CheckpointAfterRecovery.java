package io.webpipe.stack;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks Flink for a checkpoint as soon as a job that restarted runs again. The job writes its session documents when
 * a checkpoint completes, so after a restart nothing new shows until the first one; Flink's scheduler takes it at a
 * random point of the checkpoint interval after the restart and, when a task is still restoring its state then,
 * waits for the next interval: up to two intervals after the tasks run again (4.8 s of a 15 s recovery, measured).
 * On each supervisor tick this reads the jobs' task counts; a job seen with tasks not running (restarting,
 * deploying, restoring) and then every task running gets one checkpoint requested. A missed window costs only time:
 * the periodic checkpoint still comes.
 */
final class CheckpointAfterRecovery {
    private final FlinkRest rest;
    /** Jobs last seen with some task not running. */
    private final Set<String> recovering = new HashSet<>();

    CheckpointAfterRecovery(FlinkRest rest) {
        this.rest = rest;
    }

    void tick() {
        List<FlinkRest.JobStatus> jobs;
        try {
            jobs = rest.jobs();
        } catch (IOException e) {
            return; // the JobManager is down or starting: its own watch reports that
        }
        for (String jobId : recovered(jobs)) {
            try {
                rest.triggerCheckpoint(jobId);
                System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " supervisor: job " + jobId
                        + " runs again after a restart; checkpoint requested so that its held writes go out");
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
            } else if (job.state().equals("RUNNING") || job.state().equals("RESTARTING")
                    || job.state().equals("CREATED") || job.state().equals("INITIALIZING")) {
                stillRecovering.add(job.id());
            }
        }
        recovering.clear();
        recovering.addAll(stillRecovering);
        return recovered;
    }
}
