package io.webpipe.job.pages;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a firing of one page's tumbling window (the {@link PageWindowViews} of its views) into what it adds to the
 * page's totals. A window fires early while it is open and again for each late view, so the views already reported
 * are kept in per-window state and each firing reports only the new ones: totals never count a view twice.
 */
public class SummarizePageWindow extends ProcessWindowFunction<PageWindowViews, PageWindowSummary, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** Distinct views (people and bots) reported by earlier firings of the window. */
    public static final ValueStateDescriptor<Long> REPORTED = new ValueStateDescriptor<>("reported-views", Types.LONG);
    /** Of those, the bots'. */
    public static final ValueStateDescriptor<Long> REPORTED_BOTS = new ValueStateDescriptor<>("reported-bot-views", Types.LONG);

    @Override
    public void process(String pageKey, Context context, Iterable<PageWindowViews> windows, Collector<PageWindowSummary> out)
            throws Exception {
        PageWindowViews window = windows.iterator().next(); // an aggregating window holds one
        PageWindowSummary summary = new PageWindowSummary();
        summary.pageKey = pageKey;
        summary.windowStart = context.window().getStart();
        summary.firstSeen = window.firstSeen;
        long newViews = newSinceLastFiring(context, REPORTED, window.views);
        // At most the new views: a window still open from a job that had no bot counts reported its bots as people.
        summary.botViews = Math.min(newSinceLastFiring(context, REPORTED_BOTS, window.botViews), newViews);
        summary.views = newViews - summary.botViews;
        summary.visitors = VisitorSketch.copy(window.visitorsSoFar()); // the window changes its own in place
        summary.lastSeen = window.lastSeen;
        summary.lastEventId = window.lastEventId;
        summary.pageId = window.pageId;
        summary.url = window.url;
        summary.pageTitle = window.pageTitle;
        out.collect(summary);
    }

    /** {@code count} minus what earlier firings of this window reported, which becomes {@code count}. */
    private static long newSinceLastFiring(Context context, ValueStateDescriptor<Long> descriptor, long count) throws Exception {
        ValueState<Long> reported = context.windowState().getState(descriptor);
        long before = reported.value() == null ? 0 : reported.value();
        reported.update(count);
        return count - before;
    }

    @Override
    public void clear(Context context) {
        context.windowState().getState(REPORTED).clear();
        context.windowState().getState(REPORTED_BOTS).clear();
    }
}
