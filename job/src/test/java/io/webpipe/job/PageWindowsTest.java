package io.webpipe.job;

import static io.webpipe.job.Events.click;
import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.pages.PageKeys;
import io.webpipe.job.pages.BatchPageViews;
import io.webpipe.job.pages.PageView;
import io.webpipe.job.pages.PageViewBatch;
import io.webpipe.job.pages.PageWindowSummary;
import io.webpipe.job.pages.ToPageViews;
import io.webpipe.job.pages.VisitorSketch;
import io.webpipe.job.session.UserAgentSamples;
import io.webpipe.schema.WebEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The page windows of the real job graph (1 min tumbling, lateness gap + allowed lateness, early reports every
 * flush interval of processing time while views arrive) in Flink's operator harness.
 */
class PageWindowsTest {
    private static final long MIN = 60_000;

    @Test
    void aLateViewFiresTheWindowAgainWithOnlyTheNewView() throws Exception {
        try (var harness = windowHarness()) {
            harness.open();
            add(harness, view("e1", "v1", 10_000));
            add(harness, view("e2", "v2", 20_000));
            add(harness, view("e3", "v1", 70_000));
            harness.processWatermark(new Watermark(2 * MIN));
            List<PageWindowSummary> fired = harness.extractOutputValues();
            assertThat(fired).extracting(s -> s.views).containsExactly(2L, 1L);
            assertThat(VisitorSketch.estimate(fired.get(0).visitors)).isEqualTo(2);
            assertThat(fired.get(0).lastEventId).isEqualTo("e2");

            add(harness, view("e4", "v3", 30_000)); // late, within the allowed lateness
            List<PageWindowSummary> all = harness.extractOutputValues();
            assertThat(all).hasSize(3);
            assertThat(all.get(2).views).isEqualTo(1);
            assertThat(VisitorSketch.estimate(all.get(2).visitors)).isEqualTo(3);
            assertThat(all.get(2).lastEventId).isEqualTo("e4");

            harness.processWatermark(new Watermark(50 * MIN)); // past the lateness: windows and their state are gone
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void anOpenWindowReportsItsViewsEarlyAndItsFinalFiringOnlyTheRest() throws Exception {
        try (var harness = windowHarness()) {
            harness.open();
            add(harness, view("e1", "v1", 10_000));
            add(harness, view("e2", "v2", 20_000));
            harness.setProcessingTime(JobConfig.load(java.util.Map.of()).pagesFlushInterval.toMillis());
            assertThat(harness.extractOutputValues()).singleElement().satisfies(s -> {
                assertThat(s.views).isEqualTo(2);
                assertThat(s.windowStart).isZero();
            });

            add(harness, view("e3", "v1", 30_000));
            harness.processWatermark(new Watermark(MIN));
            assertThat(harness.extractOutputValues()).extracting(s -> s.views).containsExactly(2L, 1L);
        }
    }

    @Test
    void aWindowsCountsSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = windowHarness()) {
            harness.open();
            add(harness, view("e1", "v1", 10_000));
            add(harness, view("e2", "v2", 20_000));
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = windowHarness()) {
            restored.initializeState(snapshot);
            restored.open();
            add(restored, view("e3", "v1", 30_000));
            restored.processWatermark(new Watermark(2 * MIN));
            add(restored, view("e4", "v3", 40_000)); // late, within the allowed lateness
            assertThat(restored.extractOutputValues()).extracting(s -> s.views).containsExactly(3L, 1L);
        }
    }

    /**
     * The windows keep counts, so a redelivered view must never reach them: the guard in front remembers a visitor's
     * event ids until the page window of its latest view is purged too (and the session windows long before).
     */
    @Test
    void theGuardRemembersAViewsIdUntilItsPageWindowIsPurged() {
        JobConfig config = JobConfig.load(java.util.Map.of());
        long window = config.pagesWindow.toMillis();
        long lateness = config.sessionGap.plus(config.allowedLateness).toMillis();
        for (long t : new long[] {0, 1, window - 1, window, 7 * window + 12_345}) {
            long purgedAt = t - Math.floorMod(t, window) + window - 1 + lateness; // the window's last ms + its lateness
            assertThat(t + SessionJob.guardedFor(config).toMillis()).as("view at %d", t).isGreaterThan(purgedAt);
        }
    }

    @Test
    void botViewsAreCountedApartFromPeopleAndTheirVisitorsAreNotCounted() throws Exception {
        try (var harness = windowHarness()) {
            harness.open();
            add(harness, view("e1", "v1", 10_000));
            add(harness, bot("e2", "crawler", 20_000));
            add(harness, bot("e3", "crawler", 30_000));
            harness.processWatermark(new Watermark(2 * MIN));
            add(harness, bot("e4", "crawler", 40_000)); // late

            List<PageWindowSummary> fired = harness.extractOutputValues();
            assertThat(fired).extracting(s -> s.views).containsExactly(1L, 0L);
            assertThat(fired).extracting(s -> s.botViews).containsExactly(2L, 1L);
            assertThat(fired).allSatisfy(s -> assertThat(VisitorSketch.estimate(s.visitors)).isEqualTo(1));
        }
    }

    @Test
    void pageViewsOfCrawlersAndHeadlessBrowsersAreMarkedByTheirUserAgent() {
        ToPageViews toPageViews = new ToPageViews();
        toPageViews.open(DefaultOpenContext.INSTANCE);
        List<PageView> out = new ArrayList<>();
        for (UserAgentSamples.Sample sample : UserAgentSamples.ALL) {
            WebEvent e = pageView("e-" + out.size(), "v", 1, "/a");
            e.userAgent = sample.userAgent;
            toPageViews.flatMap(e, new ListCollector<>(out));
            assertThat(out.get(out.size() - 1).bot).as(sample.userAgent).isEqualTo(sample.bot);
        }
        toPageViews.flatMap(click("c", "v", 1), new ListCollector<>(out));
        assertThat(out).hasSize(UserAgentSamples.ALL.size());
    }

    @Test
    void aPageIsItsPageIdElseItsUrlAndOverLongIdsAreHashed() {
        assertThat(PageKeys.of(pageView("e1", "v", 1, "https://shop.example/p/1"))).isEqualTo("https://shop.example/p/1");
        WebEvent byId = pageView("e2", "v", 1, "https://shop.example/p/1?x=1");
        byId.pageId = "p1";
        assertThat(PageKeys.of(byId)).isEqualTo("p1");
        assertThat(PageKeys.of(pageView("e3", "v", 1, "https://shop.example/" + "한".repeat(200))))
                .startsWith("sha256-").hasSize(7 + 64);
    }

    private static PageView view(String eventId, String visitorId, long t) {
        return PageView.of(pageView(eventId, visitorId, t, "/a"), false);
    }

    private static PageView bot(String eventId, String visitorId, long t) {
        return PageView.of(pageView(eventId, visitorId, t, "/a"), true);
    }

    /** One view as {@link BatchPageViews} hands over a view whose window it has no other view of. */
    private static void add(KeyedOneInputStreamOperatorTestHarness<String, PageViewBatch, PageWindowSummary> harness, PageView e)
            throws Exception {
        harness.processElement(PageViewBatch.of(e), e.timestamp);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PageViewBatch, PageWindowSummary> windowHarness() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SessionJob.pageWindows(env.fromData(WebEvent.class, new WebEvent()), JobConfig.load(java.util.Map.of()));
        return OperatorHarnesses.keyed(env, "page-windows");
    }
}
