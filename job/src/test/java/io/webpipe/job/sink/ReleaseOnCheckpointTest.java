package io.webpipe.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ReleaseOnCheckpointTest {

    @Test
    void recordsAreReleasedWhenTheirCheckpointCompletes() throws Exception {
        try (var harness = open(null)) {
            harness.processElement("a", 0);
            harness.processElement("b", 0);
            harness.snapshot(1, 0);
            harness.processElement("c", 0);
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.notifyOfCompletedCheckpoint(1);
            assertThat(harness.extractOutputValues()).containsExactly("a", "b");

            harness.snapshot(2, 0);
            harness.notifyOfCompletedCheckpoint(2);
            assertThat(harness.extractOutputValues()).containsExactly("a", "b", "c");
        }
    }

    @Test
    void recordsHeldInACheckpointAreReleasedAfterARestore() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var harness = open(null)) {
            harness.processElement("a", 0);
            checkpoint = harness.snapshot(1, 0);
            harness.processElement("lost in the failure", 0);
        }
        try (var harness = open(checkpoint)) {
            harness.processElement("b", 0);
            harness.snapshot(2, 0);
            harness.notifyOfCompletedCheckpoint(2);
            assertThat(harness.extractOutputValues()).containsExactly("a", "b");
        }
    }

    @Test
    void theEndOfABoundedInputReleasesEverything() throws Exception {
        try (var harness = open(null)) {
            harness.processElement("a", 0);
            harness.snapshot(1, 0);
            harness.processElement("b", 0);
            harness.endInput();
            harness.getOperator().finish();
            assertThat(harness.extractOutputValues()).containsExactly("a", "b");
        }
    }

    private static OneInputStreamOperatorTestHarness<String, String> open(OperatorSubtaskState restore) throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new ReleaseOnCheckpoint<>(Types.STRING));
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }
}
