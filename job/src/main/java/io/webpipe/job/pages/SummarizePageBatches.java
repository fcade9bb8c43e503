package io.webpipe.job.pages;

import java.time.Duration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Page statistics per page window (tumbling, event time) without window state: each batch of a page's views (all in
 * one window, {@link BatchPageViews}) becomes at once what it adds to the page's totals. {@link PageTotals} adds
 * summaries up (views and bot views added, visitor sketches unioned, the earliest and the latest view kept), so a
 * window's batches add up to what the window would have reported; a window operator would only hold them back and
 * pay a state read and write per batch and two timers per page and minute for it.
 *
 * <p>The lateness rule is the window operator's: a batch goes to {@code late} when its window's last millisecond plus
 * {@code lateness} is at or before the watermark (never, when that sum overflows); the session windows accept what is
 * within gap + allowed lateness, and so does this.
 */
public class SummarizePageBatches extends KeyedProcessFunction<String, PageViewBatch, PageWindowSummary> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final long latenessMs;
    private final OutputTag<PageViewBatch> late;

    public SummarizePageBatches(Duration window, Duration lateness, OutputTag<PageViewBatch> late) {
        this.windowMs = window.toMillis();
        this.latenessMs = lateness.toMillis();
        this.late = late;
    }

    @Override
    public void processElement(PageViewBatch batch, Context context, Collector<PageWindowSummary> out) {
        long windowStart = TimeWindow.getWindowStartWithOffset(batch.views[0].timestamp, 0, windowMs);
        if (cleanupTime(windowStart + windowMs - 1) <= context.timerService().currentWatermark()) {
            context.output(late, batch);
            return;
        }
        PageWindowViews views = new PageWindowViews();
        for (PageView view : batch.views) {
            views.add(view);
        }
        out.collect(PageWindowSummary.of(batch.pageKey, windowStart, views));
    }

    /** When a window ending at {@code windowMax} turns late: as Flink's {@code WindowOperator.cleanupTime}. */
    private long cleanupTime(long windowMax) {
        long cleanupTime = windowMax + latenessMs;
        return cleanupTime >= windowMax ? cleanupTime : Long.MAX_VALUE;
    }
}
