package io.webpipe.job.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.Events;
import io.webpipe.job.source.DecodedRecord;
import io.webpipe.job.source.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class SessionWatermarksTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(10);
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(1);
    private static final long T0 = 1_700_000_000_000L;

    /** Stands for the input-activity clock; it only moves when the test moves it (as under backpressure). */
    private final ManualClock activityClock = new ManualClock();
    private final RecordingOutput output = new RecordingOutput();
    private final SessionWatermarks generator = new SessionWatermarks(OUT_OF_ORDERNESS, IDLE_TIMEOUT, activityClock);

    @Test
    void boundedOutOfOrdernessWhileEventsFlow() {
        event(T0);
        event(T0 + 5_000);
        event(T0 + 2_000);
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo(T0 + 5_000 - 10_000 - 1);
    }

    @Test
    void eventTimeMovesWithTheActivityClockWhenTheSplitIsQuiet() {
        event(T0);
        generator.onPeriodicEmit(output);
        activityClock.advanceTime(Duration.ofMinutes(30).plusSeconds(10).plusMillis(1));
        generator.onPeriodicEmit(output);
        // A session whose last event was at T0 (window max timestamp T0 + gap) closes now.
        assertThat(output.last()).isEqualTo(T0 + Duration.ofMinutes(30).toMillis());
    }

    @Test
    void aPausedActivityClockGivesNoWallClockLateness() {
        event(T0);
        // Backpressure: wall time passes, the activity clock stands still.
        generator.onPeriodicEmit(output);
        generator.onPeriodicEmit(output);
        assertThat(output.watermarks).containsExactly(T0 - 10_001);
    }

    @Test
    void watermarksNeverGoBackwards() {
        event(T0);
        activityClock.advanceTime(Duration.ofMinutes(5));
        generator.onPeriodicEmit(output);
        long advanced = output.last();
        event(T0 + 1_000);
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo(advanced);
        assertThat(output.watermarks).isSorted();
    }

    @Test
    void rejectedRecordsDoNotMoveEventTime() {
        generator.onEvent(DecodedRecord.rejected(DeadLetter.ofRecord("bad", "web-log", 0, 1, new byte[0])), T0, output);
        generator.onPeriodicEmit(output);
        assertThat(output.watermarks).isEmpty();
    }

    @Test
    void aSplitWithoutEventsTurnsIdleAndBecomesActiveWithItsFirstEvent() {
        generator.onPeriodicEmit(output);
        assertThat(output.idle).isFalse();
        activityClock.advanceTime(IDLE_TIMEOUT);
        generator.onPeriodicEmit(output);
        assertThat(output.idle).isTrue();
        event(T0);
        assertThat(output.idle).isFalse();
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo(T0 - 10_001);
    }

    private void event(long timestamp) {
        generator.onEvent(DecodedRecord.accepted(Events.click("e" + timestamp, "v", timestamp)), timestamp, output);
    }

    private static final class RecordingOutput implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }
    }
}
