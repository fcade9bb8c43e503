package io.webpipe.job.pages;

import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link BatchPageViews} in Flink's operator harness: nothing held across a watermark, a barrier or the end. */
class BatchPageViewsTest {
    private static final long MIN = 60_000;
    private static final Duration DELAY = Duration.ofMillis(200);

    @Test
    void viewsOfOnePageAndWindowGoTogetherBeforeTheNextWatermark() throws Exception {
        try (var harness = harness(1_000)) {
            harness.open();
            add(harness, view("a1", "/a", 10_000));
            add(harness, view("b1", "/b", 11_000));
            add(harness, view("a2", "/a", 12_000));
            add(harness, view("a3", "/a", MIN + 1_000)); // the next minute: another window
            assertThat(harness.getOutput()).isEmpty();

            harness.processWatermark(new Watermark(5_000));

            assertThat(batches(harness)).containsExactly("/a[a1,a2]", "/b[b1]", "/a[a3]", "watermark 5000");
            StreamRecord<?> first = (StreamRecord<?>) harness.getOutput().peek();
            assertThat(first.getTimestamp()).as("the batch's latest view").isEqualTo(12_000);
        }
    }

    @Test
    void aViewWhoseWindowHasEndedGoesOnAtOnceAlone() throws Exception {
        try (var harness = harness(1_000)) {
            harness.open();
            harness.processWatermark(new Watermark(2 * MIN));
            add(harness, view("late", "/a", 30_000));
            add(harness, view("now", "/a", 2 * MIN + 1));

            assertThat(batches(harness)).containsExactly("watermark 120000", "/a[late]");
        }
    }

    @Test
    void aCheckpointBarrierTheEndOfInputTheDelayAndTheSizeLimitEachSendWhatIsHeld() throws Exception {
        try (var harness = harness(3)) {
            harness.open();
            add(harness, view("a1", "/a", 10_000));
            harness.prepareSnapshotPreBarrier(1);
            assertThat(batches(harness)).containsExactly("/a[a1]");

            add(harness, view("a2", "/a", 10_000));
            harness.setProcessingTime(DELAY.toMillis());
            assertThat(batches(harness)).containsExactly("/a[a1]", "/a[a2]");

            add(harness, view("a3", "/a", 10_000));
            add(harness, view("a4", "/a", 10_000));
            add(harness, view("a5", "/a", 10_000)); // the third held: sent without waiting
            assertThat(batches(harness)).containsExactly("/a[a1]", "/a[a2]", "/a[a3,a4,a5]");

            add(harness, view("a6", "/a", 10_000));
            harness.getOneInputOperator().finish();
            assertThat(batches(harness)).containsExactly("/a[a1]", "/a[a2]", "/a[a3,a4,a5]", "/a[a6]");
        }
    }

    private static PageView view(String eventId, String url, long t) {
        return PageView.of(pageView(eventId, "v", t, url), false);
    }

    private static void add(OneInputStreamOperatorTestHarness<PageView, PageViewBatch> harness, PageView view) throws Exception {
        harness.processElement(view, view.timestamp);
    }

    private static List<String> batches(OneInputStreamOperatorTestHarness<PageView, PageViewBatch> harness) {
        return harness.getOutput().stream().map(o -> o instanceof Watermark w ? "watermark " + w.getTimestamp()
                : describe((PageViewBatch) ((StreamRecord<?>) o).getValue())).collect(Collectors.toList());
    }

    private static String describe(PageViewBatch batch) {
        return batch.pageKey + Arrays.stream(batch.views).map(v -> v.eventId).collect(Collectors.joining(",", "[", "]"));
    }

    private static OneInputStreamOperatorTestHarness<PageView, PageViewBatch> harness(int maxViews) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new BatchPageViews(Duration.ofMillis(MIN), DELAY, maxViews));
    }
}
