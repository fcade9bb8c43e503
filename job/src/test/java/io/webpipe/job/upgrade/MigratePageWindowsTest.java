package io.webpipe.job.upgrade;

import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.JobConfig;
import io.webpipe.job.OperatorHarnesses;
import io.webpipe.job.SessionJob;
import io.webpipe.job.pages.PageView;
import io.webpipe.job.pages.PageViewBatch;
import io.webpipe.job.pages.PageWindowSummary;
import io.webpipe.job.pages.SummarizePageWindow;
import io.webpipe.job.pages.VisitorSketch;
import io.webpipe.job.session.LiveWindowTrigger;
import io.webpipe.schema.WebEvent;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page windows of a job before issue 9 kept their views; {@link MigrateWindowState} turns them into the current
 * job's counts. A savepoint of the old operator (made from its harness: two pages, a window that had fired its
 * final result, open windows with early reports) is migrated and restored into the current operator, whose firings
 * then report exactly what the old one had not: nothing twice, nothing lost.
 */
class MigratePageWindowsTest {
    private static final long MIN = 60_000;
    private static final JobConfig CONFIG = JobConfig.load(Map.of());

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @Test
    void oldWindowsReportTheRestOfTheirViewsAfterTheMigration(@TempDir Path dir) throws Exception {
        OperatorSubtaskState old;
        try (var harness = oldPageWindows()) {
            harness.open();
            harness.processElement(view("a1", "/a", "v1", 10_000), 10_000);
            harness.processElement(view("a2", "/a", "v2", 20_000), 20_000);
            harness.processWatermark(new Watermark(MIN)); // /a's first minute fires its final result: 2 views
            harness.processElement(view("a3", "/a", "v1", MIN + 5_000), MIN + 5_000);
            harness.processElement(view("b1", "/b", "v3", MIN + 6_000), MIN + 6_000);
            harness.setProcessingTime(CONFIG.pagesFlushInterval.toMillis()); // early reports of the open minute
            harness.processElement(view("b2", "/b", "v1", MIN + 7_000), MIN + 7_000); // not reported yet
            assertThat(harness.extractOutputValues()).extracting(s -> s.pageKey + "=" + s.views)
                    .containsExactlyInAnyOrder("/a=2", "/a=1", "/b=1");
            old = harness.snapshot(1, 1);
        }
        OperatorSubtaskState migrated = OneOperatorSavepoint.migrate(SessionJob.PAGE_WINDOWS, old, CONFIG, SessionJob.PAGE_WINDOWS, dir);

        try (var current = currentPageWindows()) {
            current.initializeState(migrated);
            current.open();
            current.processWatermark(new Watermark(2 * MIN)); // the open minute closes: only what was not reported
            current.processElement(PageViewBatch.of(view("a4", "/a", "v4", 30_000)), 30_000); // late for the fired minute
            List<PageWindowSummary> fired = current.extractOutputValues();
            assertThat(fired).extracting(s -> s.pageKey + "@" + s.windowStart + "=" + s.views)
                    .containsExactlyInAnyOrder("/a@60000=0", "/b@60000=1", "/a@0=1");
            PageWindowSummary late = fired.stream().filter(s -> s.windowStart == 0).findFirst().orElseThrow();
            assertThat(VisitorSketch.estimate(late.visitors)).isEqualTo(3);
            assertThat(late.lastEventId).isEqualTo("a4");
        }
    }

    private static PageView view(String eventId, String url, String visitor, long t) {
        return PageView.of(pageView(eventId, visitor, t, url), false);
    }

    /** The old operator: the job's page windows as they were, keeping their views. */
    private static KeyedOneInputStreamOperatorTestHarness<String, PageView, PageWindowSummary> oldPageWindows() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(TypeInformation.of(PageView.class), new PageView())
                .keyBy(v -> v.pageKey, Types.STRING)
                .window(TumblingEventTimeWindows.of(CONFIG.pagesWindow))
                .trigger(new LiveWindowTrigger(CONFIG.pagesFlushInterval, CONFIG.outOfOrderness))
                .allowedLateness(CONFIG.sessionGap.plus(CONFIG.allowedLateness))
                .process(new ReportNewViews())
                .uid(SessionJob.PAGE_WINDOWS);
        return OperatorHarnesses.keyed(env, SessionJob.PAGE_WINDOWS, CONFIG.maxParallelism);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PageViewBatch, PageWindowSummary> currentPageWindows() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SessionJob.pageWindows(env.fromData(WebEvent.class, new WebEvent()), CONFIG);
        return OperatorHarnesses.keyed(env, SessionJob.PAGE_WINDOWS, CONFIG.maxParallelism);
    }

    /** The old window function, as far as its state goes: each firing reports the distinct views not reported before. */
    private static final class ReportNewViews extends ProcessWindowFunction<PageView, PageWindowSummary, String, TimeWindow> {
        @Override
        public void process(String pageKey, Context context, Iterable<PageView> views, Collector<PageWindowSummary> out)
                throws Exception {
            Set<String> ids = new HashSet<>();
            views.forEach(v -> ids.add(v.eventId));
            ValueState<Long> reported = context.windowState().getState(SummarizePageWindow.REPORTED);
            PageWindowSummary summary = new PageWindowSummary();
            summary.pageKey = pageKey;
            summary.windowStart = context.window().getStart();
            summary.views = ids.size() - (reported.value() == null ? 0 : reported.value());
            reported.update((long) ids.size());
            context.windowState().getState(SummarizePageWindow.REPORTED_BOTS).update(0L);
            out.collect(summary);
        }
    }
}
