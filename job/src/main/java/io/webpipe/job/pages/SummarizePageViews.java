package io.webpipe.job.pages;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Page statistics per page window (tumbling, event time) without window state: a page's views of one window are
 * summarized for a moment ({@link PageWindowViews}: views, bot views, a sketch of the visitors, the earliest and the
 * latest view) and sent on as one {@link PageWindowSummary}, before the shuffle by page. {@link PageTotals} adds
 * summaries up, so a window's summaries add up to what a window operator would have reported; one would only hold
 * them back, for a state read and write per batch and two timers per page and minute, and the shuffle would carry
 * every view instead of a summary per page and batch.
 *
 * <p>Stateless: everything held is sent on before each watermark is passed on, before each checkpoint barrier, at
 * the end of the input, after at most {@code maxDelay} of processing time and once {@code maxViews} are held. A view
 * whose window has ended by this operator's watermark goes on at once, alone. The lateness rule is the window
 * operator's, on the watermark the sessions of the same task use: a view goes to {@code late} when its window's last
 * millisecond plus {@code lateness} is at or before the watermark (never, when that sum overflows); the session
 * windows accept what is within gap + allowed lateness, and so does this.
 */
public class SummarizePageViews extends AbstractStreamOperator<PageWindowSummary>
        implements OneInputStreamOperator<PageView, PageWindowSummary> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final long latenessMs;
    private final OutputTag<PageView> late;
    private final long maxDelayMs;
    private final int maxViews;

    private transient Map<PageWindow, PageWindowViews> held;
    private transient int heldViews;
    private transient boolean flushScheduled;
    private transient long watermark;

    private record PageWindow(String pageKey, long start) {}

    /**
     * @param window   the page windows' size (tumbling, no offset)
     * @param lateness how long after its end a page window still takes views
     * @param late     where later views go
     * @param maxDelay how long a view may be held at most (processing time)
     * @param maxViews how many views may be held at most
     */
    public SummarizePageViews(Duration window, Duration lateness, OutputTag<PageView> late, Duration maxDelay, int maxViews) {
        this.windowMs = window.toMillis();
        this.latenessMs = lateness.toMillis();
        this.late = late;
        this.maxDelayMs = maxDelay.toMillis();
        this.maxViews = maxViews;
        setChainingStrategy(ChainingStrategy.ALWAYS); // in the visitors' task, after the page views: no extra hop
    }

    @Override
    public void open() throws Exception {
        super.open();
        held = new LinkedHashMap<>();
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<PageView> record) {
        PageView view = record.getValue();
        long start = TimeWindow.getWindowStartWithOffset(view.timestamp, 0, windowMs);
        long windowMax = start + windowMs - 1;
        if (cleanupTime(windowMax) <= watermark) {
            output.collect(late, new StreamRecord<>(view, view.timestamp));
            return;
        }
        if (windowMax <= watermark) {
            send(view.pageKey, start, new PageWindowViews().add(view));
            return;
        }
        held.computeIfAbsent(new PageWindow(view.pageKey, start), w -> new PageWindowViews()).add(view);
        if (++heldViews >= maxViews) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + maxDelayMs, time -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    /** When a window ending at {@code windowMax} turns late: as Flink's {@code WindowOperator.cleanupTime}. */
    private long cleanupTime(long windowMax) {
        long cleanupTime = windowMax + latenessMs;
        return cleanupTime >= windowMax ? cleanupTime : Long.MAX_VALUE;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        held.forEach((window, views) -> send(window.pageKey(), window.start(), views));
        held.clear();
        heldViews = 0;
    }

    /** The summary of {@code views}, at the time of the latest. */
    private void send(String pageKey, long windowStart, PageWindowViews views) {
        output.collect(new StreamRecord<>(PageWindowSummary.of(pageKey, windowStart, views), views.lastSeen));
    }
}
