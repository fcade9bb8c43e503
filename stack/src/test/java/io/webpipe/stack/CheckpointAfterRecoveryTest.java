package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointAfterRecoveryTest {
    private final CheckpointAfterRecovery watch = new CheckpointAfterRecovery(new FlinkRest("http://127.0.0.1:9"));

    private static FlinkRest.JobStatus job(String state, int running) {
        return new FlinkRest.JobStatus("j1", "webpipe sessions", state, 7, running);
    }

    @Test
    void aJobRunningAllAlongGetsNoCheckpoint() {
        assertThat(watch.recovered(List.of(job("RUNNING", 7)))).isEmpty();
        assertThat(watch.recovered(List.of(job("RUNNING", 7)))).isEmpty();
    }

    @Test
    void aRestartedJobGetsOneCheckpointOnceEveryTaskRunsAgain() {
        assertThat(watch.recovered(List.of(job("RUNNING", 7)))).isEmpty();
        assertThat(watch.recovered(List.of(job("RESTARTING", 0)))).isEmpty();
        assertThat(watch.recovered(List.of(job("RUNNING", 3)))).isEmpty();
        assertThat(watch.recovered(List.of(job("RUNNING", 7)))).containsExactly("j1");
        assertThat(watch.recovered(List.of(job("RUNNING", 7)))).isEmpty();
    }

    @Test
    void aJobResubmittedAfterAJobManagerRestartCountsAsRecovering() {
        assertThat(watch.recovered(List.of(job("INITIALIZING", 0)))).isEmpty();
        assertThat(watch.recovered(List.of(job("RUNNING", 7)))).containsExactly("j1");
    }

    @Test
    void aJobThatEndsOrIsGoneIsForgotten() {
        assertThat(watch.recovered(List.of(job("RUNNING", 2)))).isEmpty();
        assertThat(watch.recovered(List.of(job("CANCELED", 0)))).isEmpty();
        assertThat(watch.recovered(List.of(job("RUNNING", 7)))).isEmpty();
        assertThat(watch.recovered(List.of(job("RUNNING", 2)))).isEmpty();
        assertThat(watch.recovered(List.of())).isEmpty();
        assertThat(watch.recovered(List.of(job("RUNNING", 7)))).isEmpty();
    }
}
