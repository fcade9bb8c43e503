package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadBreakdownTest {
    @Test
    void threadsAliveAtBothSamplesAreMeasuredAndTheRestIsChargedToThreadsThatCameOrWent() {
        Map<Long, ProcessCpu.ThreadCpu> before = Map.of(
                1L, new ProcessCpu.ThreadCpu("C2 CompilerThre", 1.0),
                2L, new ProcessCpu.ThreadCpu("GC Thread#0", 0.5),
                3L, new ProcessCpu.ThreadCpu("GC Thread#1", 0.5),
                4L, new ProcessCpu.ThreadCpu("task ended", 9.0));
        Map<Long, ProcessCpu.ThreadCpu> after = Map.of(
                1L, new ProcessCpu.ThreadCpu("C2 CompilerThre", 3.0),
                2L, new ProcessCpu.ThreadCpu("GC Thread#0", 1.0),
                3L, new ProcessCpu.ThreadCpu("GC Thread#1", 1.5),
                5L, new ProcessCpu.ThreadCpu("task started", 4.0));
        Map<String, Double> used = ThreadBreakdown.between(before, after, 10.0);
        assertThat(used.get("C# CompilerThre")).isCloseTo(2.0, within(1e-9));
        assertThat(used.get("GC Thread##")).isCloseTo(1.5, within(1e-9));
        assertThat(used.get(ThreadBreakdown.STARTED_OR_ENDED)).isCloseTo(6.5, within(1e-9));
    }
}
