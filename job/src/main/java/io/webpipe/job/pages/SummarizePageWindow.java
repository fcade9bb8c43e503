package io.webpipe.job.pages;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Summarises the page views of one page's tumbling window, each {@code eventId} once: a duplicate is the
 * same event, so it falls into the same window, and is recognised for as long as the window accepts
 * events (until event time passes its end plus the allowed lateness; after that it is too late and
 * dropped). A window fires early while it is open and again for each late view, so the views already reported
 * are kept in per-window state and each firing reports only the new ones: totals never count a view twice.
 */
public class SummarizePageWindow extends ProcessWindowFunction<PageView, PageWindowSummary, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** Distinct views (people and bots) reported by earlier firings of the window. */
    static final ValueStateDescriptor<Long> REPORTED = new ValueStateDescriptor<>("reported-views", Types.LONG);
    /** Of those, the bots'. */
    static final ValueStateDescriptor<Long> REPORTED_BOTS = new ValueStateDescriptor<>("reported-bot-views", Types.LONG);

    @Override
    public void process(String pageKey, Context context, Iterable<PageView> views, Collector<PageWindowSummary> out)
            throws Exception {
        PageWindowSummary summary = new PageWindowSummary();
        summary.pageKey = pageKey;
        summary.windowStart = context.window().getStart();
        summary.firstSeen = Long.MAX_VALUE;
        Set<String> eventIds = new HashSet<>();
        long botViews = 0;
        Set<String> visitors = new LinkedHashSet<>();
        PageView latest = null;
        for (PageView v : views) {
            if (!eventIds.add(v.eventId)) {
                continue;
            }
            if (v.bot) {
                botViews++;
            } else {
                visitors.add(v.visitorId);
            }
            summary.firstSeen = Math.min(summary.firstSeen, v.timestamp);
            if (latest == null || v.timestamp > latest.timestamp
                    || (v.timestamp == latest.timestamp && v.eventId.compareTo(latest.eventId) > 0)) {
                latest = v;
            }
        }
        long newViews = newSinceLastFiring(context, REPORTED, eventIds.size());
        // At most the new views: a window still open from a job that had no bot counts reported its bots as people.
        summary.botViews = Math.min(newSinceLastFiring(context, REPORTED_BOTS, botViews), newViews);
        summary.views = newViews - summary.botViews;
        summary.visitorIds = visitors.toArray(new String[0]);
        summary.lastSeen = latest.timestamp;
        summary.lastEventId = latest.eventId;
        summary.pageId = latest.pageId;
        summary.url = latest.url;
        summary.pageTitle = latest.pageTitle;
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
