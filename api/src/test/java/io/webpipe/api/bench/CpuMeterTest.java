package io.webpipe.api.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    @Test
    void aSpanChargesTheGeneratorsThreadsAndLeavesTheRestOfTheJvmToTheApi() {
        CpuMeter.Reading earlier = new CpuMeter.Reading(10.0, 20.0, Map.of(1L, 1_000_000_000L), 0, 0.1, 2);
        // Thread 2 started after the earlier reading: all of its time is the span's. Two cores 3/4 busy for 6 s: 9 CPU-s.
        CpuMeter.Reading later = new CpuMeter.Reading(12.5, 26.0, Map.of(1L, 2_500_000_000L, 2L, 500_000_000L), 6_000_000_000L, 0.75, 2);
        CpuMeter.Span span = later.since(earlier);
        assertThat(span).isEqualTo(new CpuMeter.Span(2.5, 4.0, 2.0, 9.0));
        assertThat(span.others()).isEqualTo(0.5);
    }

    @Test
    void readsThisJvmAndAProcessByPid() {
        long self = ProcessHandle.current().pid();
        CpuMeter.Reading reading = new CpuMeter(OptionalLong.of(self)).read();
        assertThat(reading.thisJvm()).isPositive();
        assertThat(reading.elasticsearch()).isPositive();
        assertThat(new CpuMeter(OptionalLong.empty()).read().elasticsearch()).isNaN();
    }
}
