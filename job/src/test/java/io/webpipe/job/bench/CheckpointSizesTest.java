package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointSizesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fullAndIncrementalSizesInAllAndPerOperatorByName() throws Exception {
        // Shapes of Flink 1.20's /jobs/:id/checkpoints/details/:cid and /jobs/:id, cut to the fields read.
        String details = """
                {"id":42,"status":"COMPLETED","trigger_timestamp":1795564800000,"state_size":9000,"checkpointed_size":1200,
                 "tasks":{"v1":{"id":"v1","state_size":100,"checkpointed_size":100},
                          "v2":{"id":"v2","state_size":8900,"checkpointed_size":1100}}}""";
        String job = """
                {"jid":"j","state":"RUNNING","vertices":[{"id":"v1","name":"Source: web-log"},{"id":"v2","name":"sessionize"},
                 {"id":"v3","name":"Sink: web-sessions"}]}""";

        CheckpointSizes sizes = CheckpointSizes.parse(JSON.readTree(details), JSON.readTree(job));

        assertThat(sizes).isEqualTo(new CheckpointSizes(42, 1795564800000L, 9000, 1200, Map.of(
                "Source: web-log", new CheckpointSizes.Sizes(100, 100), "sessionize", new CheckpointSizes.Sizes(8900, 1100))));
        assertThat(sizes.byOperator().keySet()).as("in the job's vertex order").containsExactly("Source: web-log", "sessionize");
    }
}
