package io.webpipe.job.upgrade;

import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The trigger of the page windows being migrated: it registers the timer at a window's end as the job's trigger
 * does, for the windows that had not fired their final result at the savepoint; the others only wait for late
 * elements until their cleanup, as they did. It never fires: the State Processor API hands a bootstrap operator no
 * watermark. The job's processing-time ticks come with its next element after the restore.
 */
final class TimeOpenWindows extends Trigger<PageWindowEntry, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public TriggerResult onElement(PageWindowEntry entry, long timestamp, TimeWindow window, TriggerContext ctx) {
        if (!entry.finalFired) {
            ctx.registerEventTimeTimer(window.maxTimestamp());
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
    }
}
