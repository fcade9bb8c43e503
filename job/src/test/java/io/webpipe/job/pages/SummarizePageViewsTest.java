package io.webpipe.job.pages;

import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * {@link SummarizePageViews} in Flink's operator harness: a page's views of one window summarized together, nothing
 * held across a watermark, a barrier or the end; the window operator's lateness rule.
 */
class SummarizePageViewsTest {
    private static final long MIN = 60_000;
    private static final long LATENESS = Duration.ofMinutes(40).toMillis();
    private static final Duration DELAY = Duration.ofMillis(200);
    private static final OutputTag<PageView> LATE = new OutputTag<>("late", TypeInformation.of(PageView.class));

    @Test
    void viewsOfOnePageAndWindowAreSummarizedTogetherBeforeTheNextWatermark() throws Exception {
        try (var harness = harness(1_000)) {
            harness.open();
            add(harness, view("a1", "/a", "v1", 10_000));
            add(harness, view("b1", "/b", "v1", 11_000));
            add(harness, view("a2", "/a", "v2", 12_000));
            add(harness, view("a3", "/a", "v1", MIN + 1_000)); // the next minute: another window
            assertThat(harness.getOutput()).isEmpty();

            harness.processWatermark(new Watermark(5_000));

            assertThat(summaries(harness)).containsExactly("/a@0=2[a2]", "/b@0=1[b1]", "/a@60000=1[a3]", "watermark 5000");
            @SuppressWarnings("unchecked")
            StreamRecord<PageWindowSummary> first = (StreamRecord<PageWindowSummary>) harness.getOutput().peek();
            assertThat(first.getTimestamp()).as("the latest view's").isEqualTo(12_000);
            assertThat(VisitorSketch.estimate(first.getValue().visitors)).isEqualTo(2);
            assertThat(first.getValue().firstSeen).isEqualTo(10_000);
        }
    }

    @Test
    void aViewWhoseWindowHasEndedGoesOnAtOnceAlone() throws Exception {
        try (var harness = harness(1_000)) {
            harness.open();
            harness.processWatermark(new Watermark(2 * MIN));
            add(harness, view("ended", "/a", "v1", 30_000));
            add(harness, view("now", "/a", "v1", 2 * MIN + 1));

            assertThat(summaries(harness)).containsExactly("watermark 120000", "/a@0=1[ended]");
        }
    }

    /** The window operator's rule: late once the window's last millisecond plus the lateness is at the watermark. */
    @Test
    void aViewIsCountedUntilItsWindowEndPlusTheLatenessIsAtTheWatermarkThenItIsLate() throws Exception {
        try (var harness = harness(1_000)) {
            harness.open();
            harness.processWatermark(new Watermark(MIN - 2 + LATENESS));
            add(harness, view("e1", "/a", "v1", 30_000));
            harness.processWatermark(new Watermark(MIN - 1 + LATENESS));
            add(harness, view("e2", "/a", "v2", 40_000));
            add(harness, view("e3", "/a", "v3", MIN));

            assertThat(summaries(harness)).containsExactly("watermark " + (MIN - 2 + LATENESS), "/a@0=1[e1]",
                    "watermark " + (MIN - 1 + LATENESS), "/a@60000=1[e3]");
            assertThat(harness.getSideOutput(LATE)).extracting(r -> r.getValue().eventId).containsExactly("e2");
        }
    }

    /** As the window operator: a window whose end plus the lateness is beyond the last millisecond is never late. */
    @Test
    void aWindowWhoseLatenessRunsPastTheEndOfTimeIsNeverLate() throws Exception {
        try (var harness = harness(1_000)) {
            harness.open();
            harness.processWatermark(new Watermark(Long.MAX_VALUE - 1));
            add(harness, view("e1", "/a", "v1", Long.MAX_VALUE - LATENESS / 2));
            assertThat(summaries(harness)).hasSize(2).last().asString().endsWith("=1[e1]");
            assertThat(harness.getSideOutput(LATE)).isNullOrEmpty();
        }
    }

    @Test
    void botViewsAreCountedApartFromPeopleAndTheirVisitorsAreNotCounted() throws Exception {
        try (var harness = harness(1_000)) {
            harness.open();
            add(harness, view("e1", "/a", "v1", 10_000));
            add(harness, PageView.of(pageView("e2", "crawler", 20_000, "/a"), true));
            add(harness, PageView.of(pageView("e3", "crawler", 30_000, "/a"), true));
            harness.processWatermark(new Watermark(MIN));

            PageWindowSummary summary = (PageWindowSummary) ((StreamRecord<?>) harness.getOutput().peek()).getValue();
            assertThat(summary.views).isEqualTo(1);
            assertThat(summary.botViews).isEqualTo(2);
            assertThat(VisitorSketch.estimate(summary.visitors)).isEqualTo(1);
        }
    }

    @Test
    void aCheckpointBarrierTheEndOfInputTheDelayAndTheSizeLimitEachSendWhatIsHeld() throws Exception {
        try (var harness = harness(3)) {
            harness.open();
            add(harness, view("a1", "/a", "v", 10_000));
            harness.prepareSnapshotPreBarrier(1);
            assertThat(summaries(harness)).containsExactly("/a@0=1[a1]");

            add(harness, view("a2", "/a", "v", 10_000));
            harness.setProcessingTime(DELAY.toMillis());
            assertThat(summaries(harness)).containsExactly("/a@0=1[a1]", "/a@0=1[a2]");

            add(harness, view("a3", "/a", "v", 10_000));
            add(harness, view("a4", "/a", "v", 10_000));
            add(harness, view("a5", "/a", "v", 10_000)); // the third held: sent without waiting
            assertThat(summaries(harness)).containsExactly("/a@0=1[a1]", "/a@0=1[a2]", "/a@0=3[a5]");

            add(harness, view("a6", "/a", "v", 10_000));
            harness.getOneInputOperator().finish();
            assertThat(summaries(harness)).containsExactly("/a@0=1[a1]", "/a@0=1[a2]", "/a@0=3[a5]", "/a@0=1[a6]");
        }
    }

    private static PageView view(String eventId, String url, String visitor, long t) {
        return PageView.of(pageView(eventId, visitor, t, url), false);
    }

    private static void add(OneInputStreamOperatorTestHarness<PageView, PageWindowSummary> harness, PageView view) throws Exception {
        harness.processElement(view, view.timestamp);
    }

    private static List<String> summaries(OneInputStreamOperatorTestHarness<PageView, PageWindowSummary> harness) {
        return harness.getOutput().stream().map(o -> o instanceof Watermark w ? "watermark " + w.getTimestamp()
                : describe((PageWindowSummary) ((StreamRecord<?>) o).getValue())).collect(Collectors.toList());
    }

    private static String describe(PageWindowSummary s) {
        return s.pageKey + "@" + s.windowStart + "=" + (s.views + s.botViews) + "[" + s.lastEventId + "]";
    }

    private static OneInputStreamOperatorTestHarness<PageView, PageWindowSummary> harness(int maxViews) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new SummarizePageViews(Duration.ofMillis(MIN), Duration.ofMillis(LATENESS), LATE, DELAY, maxViews));
    }
}
