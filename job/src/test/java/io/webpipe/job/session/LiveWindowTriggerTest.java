package io.webpipe.job.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.OperatorHarnesses;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveWindowTrigger} on Flink's window operator with merging (session) windows, gap 10 s, allowed
 * lateness 5 s, ticks every second, early firings while a window's end is at most 1 s behind the wall clock;
 * the harness moves processing time and the watermark, nothing sleeps.
 * Each firing reports the window, whether it was early, and its element count.
 */
class LiveWindowTriggerTest {
    private static final String UID = "live-windows-under-test";
    private static final long TICK = 1_000;
    private static final long GAP = 10_000;

    private KeyedOneInputStreamOperatorTestHarness<String, Long, String> harness;

    @BeforeEach
    void open() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(0L)
                .keyBy(t -> "visitor", Types.STRING)
                .window(EventTimeSessionWindows.withGap(Duration.ofMillis(GAP)))
                .trigger(new LiveWindowTrigger(Duration.ofMillis(TICK), Duration.ofSeconds(1)))
                .allowedLateness(Duration.ofSeconds(5))
                .process(new Describe())
                .uid(UID);
        harness = OperatorHarnesses.keyed(env, UID);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void anOpenWindowFiresAtTheNextTickAfterAnElementAndNotAgainWhileIdle() throws Exception {
        harness.setProcessingTime(1_250);
        add(100);
        add(200);
        harness.setProcessingTime(1_999);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(2_000);
        assertThat(harness.extractOutputValues()).containsExactly("[100,10200) early 2");

        harness.setProcessingTime(9_000); // no elements since: no more firings
        assertThat(harness.extractOutputValues()).hasSize(1);

        add(300);
        harness.setProcessingTime(10_000);
        assertThat(harness.extractOutputValues()).last().isEqualTo("[100,10300) early 3");
    }

    @Test
    void aWindowBehindTheWallClockAsInAReplayOnlyFiresAtTheWatermark() throws Exception {
        harness.setProcessingTime(60_000);
        add(100); // ends at 10,100: far behind the clock
        harness.setProcessingTime(70_000);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.processWatermark(new Watermark(10_099));
        assertThat(harness.extractOutputValues()).containsExactly("[100,10100) final 1");
    }

    @Test
    void theWatermarkFiresTheFinalResultAndALaterTickDoesNothing() throws Exception {
        add(100);
        harness.processWatermark(new Watermark(10_099)); // the window's last millisecond
        assertThat(harness.extractOutputValues()).containsExactly("[100,10100) final 1");

        harness.setProcessingTime(TICK); // the tick the element armed
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void aLateElementFiresTheFinalResultAgainAtOnce() throws Exception {
        add(100);
        harness.processWatermark(new Watermark(12_000));
        add(50); // late, within the allowed lateness
        assertThat(harness.extractOutputValues()).containsExactly("[100,10100) final 1", "[50,10100) final 2");
    }

    @Test
    void mergedWindowsFireOnceAsOneAndLeaveNoTimersBehind() throws Exception {
        add(0);
        add(15_000);
        harness.setProcessingTime(TICK);
        assertThat(harness.extractOutputValues()).containsExactlyInAnyOrder("[0,10000) early 1", "[15000,25000) early 1");

        add(7_000); // bridges the two sessions
        harness.setProcessingTime(2 * TICK);
        assertThat(harness.extractOutputValues()).last().isEqualTo("[0,25000) early 3");
        assertThat(harness.extractOutputValues()).hasSize(3);

        harness.processWatermark(new Watermark(24_999));
        assertThat(harness.extractOutputValues()).last().isEqualTo("[0,25000) final 3");
        harness.processWatermark(new Watermark(24_999 + 5_000)); // past the allowed lateness: purged
        harness.setProcessingTime(10 * TICK);
        assertThat(harness.extractOutputValues()).hasSize(4);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    private void add(long timestamp) throws Exception {
        harness.processElement(timestamp, timestamp);
    }

    /** "[start,end) early|final count". */
    private static final class Describe extends ProcessWindowFunction<Long, String, String, TimeWindow> {
        @Override
        public void process(String key, Context context, Iterable<Long> elements, Collector<String> out) {
            long count = 0;
            for (Long ignored : elements) {
                count++;
            }
            boolean early = context.window().maxTimestamp() > context.currentWatermark();
            out.collect("[" + context.window().getStart() + "," + context.window().getEnd() + ") "
                    + (early ? "early " : "final ") + count);
        }
    }
}
