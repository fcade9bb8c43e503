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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The page view summaries of the real job graph (1 min tumbling page windows, lateness gap + allowed lateness) in
 * Flink's operator harness: each batch is summarized at once, without state.
 */
class PageSummariesTest {
    private static final long MIN = 60_000;
    private static final JobConfig CONFIG = JobConfig.load(java.util.Map.of());
    private static final long LATENESS = CONFIG.sessionGap.plus(CONFIG.allowedLateness).toMillis();

    @Test
    void eachBatchIsSummarizedAtOnceForItsWindowAndNothingIsKept() throws Exception {
        try (var harness = summariesHarness()) {
            harness.open();
            add(harness, view("e1", "v1", 10_000), view("e2", "v2", 20_000), view("e3", "v1", 30_000));
            add(harness, view("e4", "v1", 70_000));
            List<PageWindowSummary> summaries = harness.extractOutputValues();
            assertThat(summaries).extracting(s -> s.windowStart + "=" + s.views).containsExactly("0=3", "60000=1");
            PageWindowSummary first = summaries.get(0);
            assertThat(VisitorSketch.estimate(first.visitors)).isEqualTo(2);
            assertThat(first.firstSeen).isEqualTo(10_000);
            assertThat(first.lastSeen).isEqualTo(30_000);
            assertThat(first.lastEventId).isEqualTo("e3");
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers() + harness.numProcessingTimeTimers()).isZero();
        }
    }

    /** The window operator's rule: late once the window's last millisecond plus the lateness is at the watermark. */
    @Test
    void aViewIsCountedUntilItsWindowEndPlusTheLatenessIsAtTheWatermarkThenItIsLate() throws Exception {
        try (var harness = summariesHarness()) {
            harness.open();
            harness.processWatermark(new Watermark(MIN - 2 + LATENESS));
            add(harness, view("e1", "v1", 30_000));
            assertThat(harness.extractOutputValues()).extracting(s -> s.views).containsExactly(1L);

            harness.processWatermark(new Watermark(MIN - 1 + LATENESS));
            add(harness, view("e2", "v2", 40_000));
            add(harness, view("e3", "v3", MIN));
            assertThat(harness.extractOutputValues()).extracting(s -> s.windowStart).containsExactly(0L, MIN);
            assertThat(harness.getSideOutput(SessionJob.LATE_PAGE_VIEWS))
                    .extracting(r -> r.getValue().views[0].eventId).containsExactly("e2");
        }
    }

    /** As the window operator: a window whose end plus the lateness is beyond the last millisecond is never late. */
    @Test
    void aWindowWhoseLatenessRunsPastTheEndOfTimeIsNeverLate() throws Exception {
        try (var harness = summariesHarness()) {
            harness.open();
            harness.processWatermark(new Watermark(Long.MAX_VALUE - 1));
            long t = Long.MAX_VALUE - LATENESS / 2;
            add(harness, view("e1", "v1", t));
            assertThat(harness.extractOutputValues()).extracting(s -> s.views).containsExactly(1L);
            assertThat(harness.getSideOutput(SessionJob.LATE_PAGE_VIEWS)).isNullOrEmpty();
        }
    }

    /**
     * The totals add counts, so a redelivered view must never reach them: the guard in front remembers a visitor's
     * event ids until the page window of its latest view is late too (and the session windows long before).
     */
    @Test
    void theGuardRemembersAViewsIdUntilItsPageWindowIsLate() {
        long window = CONFIG.pagesWindow.toMillis();
        for (long t : new long[] {0, 1, window - 1, window, 7 * window + 12_345}) {
            long lateAt = t - Math.floorMod(t, window) + window - 1 + LATENESS; // the window's last ms + its lateness
            assertThat(t + SessionJob.guardedFor(CONFIG).toMillis()).as("view at %d", t).isGreaterThan(lateAt);
        }
    }

    @Test
    void botViewsAreCountedApartFromPeopleAndTheirVisitorsAreNotCounted() throws Exception {
        try (var harness = summariesHarness()) {
            harness.open();
            add(harness, view("e1", "v1", 10_000), bot("e2", "crawler", 20_000), bot("e3", "crawler", 30_000));
            assertThat(harness.extractOutputValues()).singleElement().satisfies(s -> {
                assertThat(s.views).isEqualTo(1);
                assertThat(s.botViews).isEqualTo(2);
                assertThat(VisitorSketch.estimate(s.visitors)).isEqualTo(1);
            });
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

    /** Views of one page window as {@link BatchPageViews} hands them over: one batch, at the latest view's time. */
    private static void add(KeyedOneInputStreamOperatorTestHarness<String, PageViewBatch, PageWindowSummary> harness,
            PageView... views) throws Exception {
        harness.processElement(new PageViewBatch(views[0].pageKey, views), views[views.length - 1].timestamp);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PageViewBatch, PageWindowSummary> summariesHarness()
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SessionJob.pageSummaries(env.fromData(WebEvent.class, new WebEvent()), CONFIG);
        return OperatorHarnesses.keyed(env, SessionJob.SUMMARIZE_PAGE_VIEWS);
    }
}
