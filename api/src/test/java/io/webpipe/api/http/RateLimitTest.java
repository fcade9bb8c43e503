package io.webpipe.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.webpipe.api.metrics.CollectorMetrics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock the test moves by hand. */
class RateLimitTest {
    private static final class ManualClock implements TimeMeter {
        long nanos;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void advance(Duration d) {
            nanos += d.toNanos();
        }
    }

    private final ManualClock clock = new ManualClock();

    private RateLimit limit(int requests, Duration period, int burst) {
        return new RateLimit(new ClientAddress(List.of()), requests, period, burst, 1000, clock,
                new CollectorMetrics(new SimpleMeterRegistry()));
    }

    @Test
    void aBurstPassesThenRequestsWaitForTheRefill() {
        RateLimit limit = limit(2, Duration.ofSeconds(1), 3);
        assertThat(limit.secondsToWait("192.0.2.1")).isZero();
        assertThat(limit.secondsToWait("192.0.2.1")).isZero();
        assertThat(limit.secondsToWait("192.0.2.1")).isZero();
        assertThat(limit.secondsToWait("192.0.2.1")).isEqualTo(1); // one token in 500 ms, rounded up
        clock.advance(Duration.ofMillis(500));
        assertThat(limit.secondsToWait("192.0.2.1")).isZero();
        assertThat(limit.secondsToWait("192.0.2.1")).isEqualTo(1);
    }

    @Test
    void retryAfterCountsWholeSecondsUntilTheNextToken() {
        RateLimit limit = limit(1, Duration.ofMinutes(1), 1);
        assertThat(limit.secondsToWait("192.0.2.1")).isZero();
        assertThat(limit.secondsToWait("192.0.2.1")).isEqualTo(60);
        clock.advance(Duration.ofMillis(59_500));
        assertThat(limit.secondsToWait("192.0.2.1")).isEqualTo(1);
    }

    @Test
    void eachClientHasItsOwnBucketAndAnIpv6ClientIsItsSlash64() {
        RateLimit limit = limit(1, Duration.ofHours(1), 1);
        assertThat(limit.secondsToWait("192.0.2.1")).isZero();
        assertThat(limit.secondsToWait("192.0.2.2")).isZero();
        assertThat(limit.secondsToWait("192.0.2.1")).isPositive();

        assertThat(limit.secondsToWait("2001:db8:1:2::1")).isZero();
        assertThat(limit.secondsToWait("2001:db8:1:2:ffff::9")).as("same /64").isPositive();
        assertThat(limit.secondsToWait("2001:db8:1:3::1")).as("another /64").isZero();
        assertThat(RateLimit.key("2001:db8:1:2::1")).isEqualTo("20010db800010002::/64");
        assertThat(RateLimit.key("::ffff:192.0.2.1")).as("IPv4-mapped").isEqualTo("192.0.2.1");
    }

    @Test
    void zeroRequestsTurnsTheLimitOff() {
        RateLimit off = limit(0, Duration.ofSeconds(1), 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(off.secondsToWait("192.0.2.1")).isZero();
        }
    }

    @Test
    void unusableSettingsAreRefusedAtStart() {
        assertThatThrownBy(() -> limit(-1, Duration.ofSeconds(1), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limit(5, Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limit(5, Duration.ZERO, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
