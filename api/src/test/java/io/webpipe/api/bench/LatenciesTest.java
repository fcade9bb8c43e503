package io.webpipe.api.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankOverEveryValue() {
        Latencies latencies = new Latencies();
        // 1..2000 ms in reverse order: growth past the first array and sorting both matter.
        for (int ms = 2000; ms >= 1; ms--) {
            latencies.add(ms * 1_000_000L);
        }
        assertThat(latencies.count()).isEqualTo(2000);
        assertThat(latencies.percentileMs(50)).isEqualTo(1000.0);
        assertThat(latencies.percentileMs(99)).isEqualTo(1980.0);
        assertThat(latencies.percentileMs(99.9)).isEqualTo(1998.0);
        assertThat(latencies.percentileMs(100)).isEqualTo(2000.0);
        assertThat(latencies.maxMs()).isEqualTo(2000.0);
    }

    @Test
    void aFewValuesRoundTheRankUp() {
        Latencies latencies = new Latencies();
        latencies.add(3_000_000);
        latencies.add(1_500_000);
        latencies.add(2_000_000);
        assertThat(latencies.percentileMs(50)).isEqualTo(2.0);
        assertThat(latencies.percentileMs(99)).isEqualTo(3.0);
        assertThat(latencies.percentileMs(1)).isEqualTo(1.5);
    }

    @Test
    void emptyIsNotANumberAndPercentOutOfRangeIsRefused() {
        Latencies latencies = new Latencies();
        assertThat(latencies.percentileMs(50)).isNaN();
        assertThatThrownBy(() -> latencies.percentileMs(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> latencies.percentileMs(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
