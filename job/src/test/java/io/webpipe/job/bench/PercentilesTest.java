package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOfFiveRounds() {
        Percentiles p = new Percentiles(List.of(9.0, 3.0, 7.0, 5.0, 11.0));
        assertThat(p.at(0.5)).isEqualTo(7.0);
        assertThat(p.at(0.99)).isEqualTo(11.0);
        assertThat(p.at(0.0)).isEqualTo(3.0);
        assertThat(p.max()).isEqualTo(11.0);
    }

    @Test
    void medianOfAnEvenCountIsTheLowerMiddle() {
        assertThat(new Percentiles(List.of(4.0, 1.0, 2.0, 3.0)).at(0.5)).isEqualTo(2.0);
    }
}
