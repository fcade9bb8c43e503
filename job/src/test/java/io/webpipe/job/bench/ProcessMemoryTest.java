package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {
    @Test
    void residentAndPeakAreVmRssAndVmHwmInBytes() {
        String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  812344 kB\nVmRSS:\t  790528 kB\nRssAnon:\t  700000 kB\n";
        assertThat(ProcessMemory.parse(status)).isEqualTo(new ProcessMemory(790_528L * 1024, 812_344L * 1024));
    }

    @Test
    void aStatusWithoutTheFieldsIsAnError() {
        assertThatThrownBy(() -> ProcessMemory.parse("Name:\tzombie\nState:\tZ (zombie)\n")).hasMessageContaining("VmRSS");
    }

    @Test
    void readsThisProcess() {
        ProcessMemory self = ProcessMemory.of(ProcessHandle.current().pid());
        assertThat(self.residentBytes()).isPositive().isLessThanOrEqualTo(self.peakResidentBytes());
    }
}
