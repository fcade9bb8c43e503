package io.webpipe.job.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundsTest {
    private static Rounds rounds(double... cpu) {
        List<CpuSample.Span> spans = new ArrayList<>();
        List<Map<String, Double>> threads = new ArrayList<>();
        for (double seconds : cpu) {
            spans.add(new CpuSample.Span(1, Map.of("job", seconds)));
            threads.add(Map.of(ThreadBreakdown.STARTED_OR_ENDED, seconds / 2));
        }
        return new Rounds(spans, threads, "job");
    }

    @Test
    void measuresTheCheapestOfTheLastThreeRounds() {
        Rounds rounds = rounds(20, 5, 9, 8, 7.5, 8.5);
        assertEquals(4, rounds.measuredIndex(), "round 2 is cheaper but no longer among the last three");
        assertEquals(7.5, rounds.measured().cpu("job"));
        assertEquals(3.75, rounds.ownThreadsCpu(), "the measured round's own threads");
    }

    @Test
    void neverMeasuresTheColdFirstRound() {
        assertEquals(1, rounds(2, 8.5, 9).measuredIndex());
        assertEquals(1, rounds(2, 9).measuredIndex());
        assertEquals(0, rounds(9).measuredIndex(), "a single round is all there is");
    }
}
