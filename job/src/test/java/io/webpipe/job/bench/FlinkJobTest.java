package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FlinkJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void runningOnlyWhenEverySubtaskOfEveryVertexRuns() throws Exception {
        assertThat(FlinkJob.allTasksRunning(JSON.readTree(job("RUNNING", 2, 2)))).isTrue();
        // After a TaskManager died under region failover the job stays RUNNING while its tasks are redeployed.
        assertThat(FlinkJob.allTasksRunning(JSON.readTree(job("RUNNING", 2, 1)))).isFalse();
        assertThat(FlinkJob.allTasksRunning(JSON.readTree(job("RESTARTING", 2, 2)))).isFalse();
    }

    private static String job(String state, int parallelism, int running) {
        return "{\"state\":\"" + state + "\",\"vertices\":[{\"parallelism\":1,\"tasks\":{\"RUNNING\":1}},"
                + "{\"parallelism\":" + parallelism + ",\"tasks\":{\"RUNNING\":" + running + ",\"DEPLOYING\":" + (parallelism - running) + "}}]}";
    }
}
