package io.webpipe.job.upgrade;

import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.JobConfig;
import io.webpipe.job.OperatorHarnesses;
import io.webpipe.job.SessionJob;
import io.webpipe.job.Summarize;
import io.webpipe.job.pages.PageView;
import io.webpipe.job.pages.PageWindowSummary;
import io.webpipe.job.pages.PageWindowViews;
import io.webpipe.job.session.LiveWindowTrigger;
import io.webpipe.job.sink.DocumentWrite;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The jobs before the page view summaries counted page views in window operators ({@code page-windows}: one
 * aggregate per window, or before issue 9 the views themselves), whose firings reported to the page totals.
 * {@link MigrateWindowState} removes them and adds what each window had not reported to its page's totals. A
 * savepoint of the old windows and totals (made from their harnesses: a window that had fired its final result, open
 * windows with early reports, views not reported yet) is migrated and restored into the current page totals, whose
 * documents then count every view once: nothing twice, nothing lost.
 */
class MigratePageWindowsTest {
    private static final long MIN = 60_000;
    private static final JobConfig CONFIG = JobConfig.load(Map.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @ParameterizedTest(name = "old windows keep their views: {0}")
    @ValueSource(booleans = {false, true})
    void whatTheOldWindowsHadNotReportedIsAddedToTheTotals(boolean keepsViews, @TempDir Path dir) throws Exception {
        Map<String, OperatorSubtaskState> old = new HashMap<>();
        try (var windows = oldPageWindows(keepsViews); var totals = pageTotals()) {
            windows.open();
            totals.open();
            windows.processElement(view("a1", "/a", "v1", 10_000, false), 10_000);
            windows.processElement(view("a2", "/a", "v2", 20_000, false), 20_000);
            windows.processWatermark(new Watermark(MIN)); // /a's first minute fires its final result: 2 views
            windows.processElement(view("a3", "/a", "v1", MIN + 5_000, false), MIN + 5_000);
            windows.processElement(view("b1", "/b", "v3", MIN + 6_000, false), MIN + 6_000);
            windows.setProcessingTime(CONFIG.pagesFlushInterval.toMillis()); // early reports of the open minute
            windows.processElement(view("b2", "/b", "v1", MIN + 7_000, false), MIN + 7_000); // not reported
            windows.processElement(view("b3", "/b", "bot", MIN + 8_000, true), MIN + 8_000); // not reported
            List<PageWindowSummary> reported = windows.extractOutputValues();
            assertThat(reported).extracting(s -> s.pageKey + "=" + s.views).containsExactlyInAnyOrder("/a=2", "/a=1", "/b=1");
            for (PageWindowSummary summary : reported) {
                totals.processElement(summary, summary.lastSeen);
            }
            totals.setProcessingTime(Long.MAX_VALUE / 2); // their documents written
            assertThat(documents(totals.extractOutputValues())).containsOnlyKeys("/a", "/b");
            old.put(WindowStateFormat.PAGE_WINDOWS, windows.snapshot(1, 1));
            old.put(SessionJob.PAGE_TOTALS, totals.snapshot(1, 1));
        }
        OperatorSubtaskState migrated = OneOperatorSavepoint.migrate(old, CONFIG, SessionJob.PAGE_TOTALS, dir);

        try (var totals = pageTotals()) {
            totals.initializeState(migrated);
            totals.open();
            totals.setProcessingTime(Long.MAX_VALUE / 2 + 1); // the write the migration made due
            Map<String, JsonNode> documents = documents(totals.extractOutputValues());
            assertThat(documents).containsOnlyKeys("/b"); // /a had reported all its views
            JsonNode b = documents.get("/b");
            assertThat(b.get("views").asLong()).isEqualTo(2);
            assertThat(b.get("botViews").asLong()).isEqualTo(1);
            assertThat(b.get("visitors").asLong()).isEqualTo(2);
            assertThat(b.get("lastSeen").asText()).isEqualTo("1970-01-01T00:01:08Z");
            assertThat(totals.numEventTimeTimers()).isEqualTo(2); // each page's idle timer

            totals.processElement(summary("/a", "a4", "v4", 2 * MIN), 2 * MIN); // the totals go on
            totals.setProcessingTime(Long.MAX_VALUE / 2 + CONFIG.pagesFlushInterval.toMillis() + 2);
            JsonNode a = documents(totals.extractOutputValues()).get("/a");
            assertThat(a.get("views").asLong()).isEqualTo(4);
            assertThat(a.get("visitors").asLong()).isEqualTo(3);
        }
    }

    private static PageView view(String eventId, String url, String visitor, long t, boolean bot) {
        return PageView.of(pageView(eventId, visitor, t, url), bot);
    }

    private static PageWindowSummary summary(String pageKey, String eventId, String visitor, long t) {
        PageWindowViews views = new PageWindowViews();
        views.add(view(eventId, pageKey, visitor, t, false));
        return PageWindowSummary.of(pageKey, t - t % MIN, views);
    }

    /** The latest document written of each page, as JSON. */
    private static Map<String, JsonNode> documents(List<DocumentWrite> writes) throws Exception {
        Map<String, JsonNode> latest = new HashMap<>();
        for (DocumentWrite write : writes) {
            latest.put(write.id, JSON.readTree(write.json));
        }
        return latest;
    }

    /** The old operator: the job's page windows as they were, with an aggregate per window or keeping their views. */
    private static KeyedOneInputStreamOperatorTestHarness<String, PageView, PageWindowSummary> oldPageWindows(boolean keepsViews)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        WindowedStream<PageView, String, TimeWindow> windows = env.fromData(TypeInformation.of(PageView.class), new PageView())
                .keyBy(v -> v.pageKey, Types.STRING)
                .window(TumblingEventTimeWindows.of(CONFIG.pagesWindow))
                .trigger(new LiveWindowTrigger(CONFIG.pagesFlushInterval, CONFIG.outOfOrderness))
                .allowedLateness(CONFIG.sessionGap.plus(CONFIG.allowedLateness));
        (keepsViews
                ? windows.process(new ReportNewViews<PageView>(MigratePageWindowsTest::distinct))
                : windows.aggregate(new Summarize<>(PageWindowViews::new),
                        new ReportNewViews<PageWindowViews>(all -> all.iterator().next()),
                        PageWindowViews.TYPE, PageWindowViews.TYPE, TypeInformation.of(PageWindowSummary.class)))
                .uid(WindowStateFormat.PAGE_WINDOWS);
        return OperatorHarnesses.keyed(env, WindowStateFormat.PAGE_WINDOWS, CONFIG.maxParallelism);
    }

    private static PageWindowViews distinct(Iterable<PageView> views) {
        PageWindowViews window = new PageWindowViews();
        Set<String> ids = new HashSet<>();
        views.forEach(v -> {
            if (ids.add(v.eventId)) {
                window.add(v);
            }
        });
        return window;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PageWindowSummary, DocumentWrite> pageTotals() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SessionJob.pageTotals(env.fromData(TypeInformation.of(PageWindowSummary.class), new PageWindowSummary()), CONFIG);
        return OperatorHarnesses.keyed(env, SessionJob.PAGE_TOTALS, CONFIG.maxParallelism);
    }

    /** The old window function, as far as its state goes: each firing reports the views not reported before. */
    private static final class ReportNewViews<T> extends ProcessWindowFunction<T, PageWindowSummary, String, TimeWindow> {
        private static final ValueStateDescriptor<Long> REPORTED = new ValueStateDescriptor<>("reported-views", Types.LONG);
        private static final ValueStateDescriptor<Long> REPORTED_BOTS = new ValueStateDescriptor<>("reported-bot-views", Types.LONG);

        private final SerializableFunction<Iterable<T>, PageWindowViews> views;

        ReportNewViews(SerializableFunction<Iterable<T>, PageWindowViews> views) {
            this.views = views;
        }

        @Override
        public void process(String pageKey, Context context, Iterable<T> contents, Collector<PageWindowSummary> out)
                throws Exception {
            PageWindowViews window = views.apply(contents);
            PageWindowSummary summary = PageWindowSummary.of(pageKey, context.window().getStart(), window);
            summary.botViews = window.botViews - reportedBefore(context, REPORTED_BOTS, window.botViews);
            summary.views = window.views - reportedBefore(context, REPORTED, window.views) - summary.botViews;
            out.collect(summary);
        }

        private long reportedBefore(Context context, ValueStateDescriptor<Long> descriptor, long now) throws Exception {
            ValueState<Long> reported = context.windowState().getState(descriptor);
            long before = reported.value() == null ? 0 : reported.value();
            reported.update(now);
            return before;
        }
    }
}
