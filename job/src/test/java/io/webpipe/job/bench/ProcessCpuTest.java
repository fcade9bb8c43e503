package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void cpuTimeIsUserPlusSystemTicksOverTheClockTick() {
        String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 52011 0 12 0 1234 56 7 8 20 0 41 0 9876 4000000000 90000 "
                + "18446744073709551615 1 1 0 0 0 0 2 0 16800975 0 0 0 17 1 0 0 0 0 0";
        assertThat(new ProcessCpu(100).seconds(stat)).isCloseTo(12.90, within(1e-9));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String stat = "7 (a) b (c) S 1 7 7 0 -1 0 0 0 0 0 250 250 999 999 20 0 1 0 1 1 1";
        assertThat(new ProcessCpu(100).seconds(stat)).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void childrenCpuIsNotCounted() {
        // Fields 16 and 17 (cutime, cstime) are waited-for children: Kafka and Elasticsearch are charged apart.
        String stat = "1 (x) S 0 1 1 0 -1 0 0 0 0 0 100 0 100000 100000 20 0 1 0 1 1 1";
        assertThat(new ProcessCpu(100).seconds(stat)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void readsThisProcessAndGrowsWithWork() {
        ProcessCpu cpu = ProcessCpu.ofThisMachine();
        long pid = ProcessHandle.current().pid();
        double before = cpu.seconds(pid);
        long threadBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long x = 0;
        while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadBefore < 100_000_000L) {
            x++;
        }
        assertThat(x).isPositive();
        // At least most of the 0.1 s this thread burned (ticks are 10 ms).
        assertThat(cpu.seconds(pid) - before).isGreaterThanOrEqualTo(0.07);
    }

    @Test
    void spansAreWhatEachProcessUsedInBetween() {
        CpuSample a = new CpuSample(1_000_000_000L, java.util.Map.of("job", 2.0, "kafka", 1.0));
        CpuSample b = new CpuSample(3_500_000_000L, java.util.Map.of("job", 7.5, "kafka", 1.25));
        CpuSample.Span span = a.until(b);
        assertThat(span.wallSeconds()).isEqualTo(2.5);
        assertThat(span.cpu("job")).isEqualTo(5.5);
        assertThat(span.cpu("kafka")).isEqualTo(0.25);
    }
}
