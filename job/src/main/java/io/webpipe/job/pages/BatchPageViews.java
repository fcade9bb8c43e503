package io.webpipe.job.pages;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Groups page views by page and page window for a moment before they are shuffled to be summarized
 * ({@link SummarizePageBatches}), so that a page's totals (with RocksDB: a read and a write of its counts and its
 * visitor sketch, ~4 KB, when not cached) are touched, and a summary shuffled, once per batch, not once per view. Stateless: everything held is sent on before each watermark is passed on, before each
 * checkpoint barrier, at the end of the input, after at most {@code maxDelay} of processing time and once
 * {@code maxViews} are held. So the summaries see the same views between the same watermarks as without it, and
 * all views of a batch fall in one window: lateness is decided for the batch as it would be for each view.
 * A view whose window has ended by this operator's watermark goes on at once, alone.
 *
 * <p>It holds the views it is given (object reuse is on): its input, {@link ToPageViews}, makes a new one per event.
 */
public class BatchPageViews extends AbstractStreamOperator<PageViewBatch> implements OneInputStreamOperator<PageView, PageViewBatch> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final long maxDelayMs;
    private final int maxViews;

    private transient Map<PageWindow, List<PageView>> held;
    private transient int heldViews;
    private transient boolean flushScheduled;
    private transient long watermark;

    private record PageWindow(String pageKey, long start) {}

    /**
     * @param window   the page windows' size (tumbling, no offset)
     * @param maxDelay how long a view may be held at most (processing time)
     * @param maxViews how many views may be held at most
     */
    public BatchPageViews(Duration window, Duration maxDelay, int maxViews) {
        this.windowMs = window.toMillis();
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
        if (start + windowMs - 1 <= watermark) {
            output.collect(new StreamRecord<>(PageViewBatch.of(view), view.timestamp));
            return;
        }
        held.computeIfAbsent(new PageWindow(view.pageKey, start), w -> new ArrayList<>()).add(view);
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
        for (Map.Entry<PageWindow, List<PageView>> batch : held.entrySet()) {
            List<PageView> views = batch.getValue();
            long latest = views.stream().mapToLong(v -> v.timestamp).max().orElseThrow();
            output.collect(new StreamRecord<>(new PageViewBatch(batch.getKey().pageKey(), views.toArray(new PageView[0])), latest));
        }
        held.clear();
        heldViews = 0;
    }
}
