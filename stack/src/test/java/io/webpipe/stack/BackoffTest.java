package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The supervisor's restart delays and exit reasons. */
class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5), 10);

    @Test
    void delaysDoubleFromOneSecondUpToAMinute() {
        assertThat(IntStream.rangeClosed(1, 9).mapToObj(backoff::delay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void aPartThatRanLongEnoughStartsANewRow() {
        assertThat(backoff.continuesRow(Duration.ofSeconds(30))).isTrue();
        assertThat(backoff.continuesRow(Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void givenUpAfterMaxRestartsInARow() {
        assertThat(backoff.givesUpAfter(10)).isFalse();
        assertThat(backoff.givesUpAfter(11)).isTrue();
    }

    @Test
    void exitReasonsNameTheSignal() {
        assertThat(ExitReason.of(OptionalInt.of(137))).isEqualTo("SIGKILL (exit 137)");
        assertThat(ExitReason.of(OptionalInt.of(143))).isEqualTo("SIGTERM (exit 143)");
        assertThat(ExitReason.of(OptionalInt.of(1))).isEqualTo("exit code 1");
        assertThat(ExitReason.of(OptionalInt.empty())).isEqualTo("exit status unknown");
    }
}
