package io.webpipe.job;

import static io.webpipe.job.Events.click;
import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.pages.PageKeys;
import io.webpipe.job.pages.PageView;
import io.webpipe.job.pages.ToPageViews;
import io.webpipe.job.session.UserAgentSamples;
import io.webpipe.schema.WebEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

/** The page statistics' first steps: which views count, as whose, and how long the guard keeps their ids. */
class PageSummariesTest {
    private static final JobConfig CONFIG = JobConfig.load(java.util.Map.of());
    private static final long LATENESS = CONFIG.sessionGap.plus(CONFIG.allowedLateness).toMillis();

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
}
