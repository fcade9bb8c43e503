package io.webpipe.job.session;

import java.time.Duration;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The reference of {@link Sessionize}'s live documents, which the sessions and page windows of the jobs before used
 * (so the savepoint migration tests' old operators use it too). Fires an event-time window as Flink's {@code EventTimeTrigger} does (when the watermark passes its end, and
 * again for each late element within the allowed lateness), and also early while it is open: at the first tick
 * of processing time (a multiple of {@code interval}) after an element arrived. A window whose elements stopped
 * arriving fires early at most once more, so an idle visitor costs nothing. The window function tells the two
 * apart: a firing is final when the watermark has reached the window's end.
 *
 * <p>Only windows that are current by the wall clock fire early: those whose end is at most {@code horizon} (the
 * out-of-orderness) before now. An older open window is a backlog being replayed, not a visitor active now; the
 * watermark closes it soon, and early results of it would cost writes and timers for nothing.
 *
 * <p>Stateless on purpose: aligned ticks need no state to avoid a timer per element (the timer service keeps one
 * timer per window and tick), nothing is added to savepoints, and merging windows need no state merged.
 * Clearing a window (merged away or purged) deletes its pending tick; a tick that still comes for a window that
 * is gone is ignored by the window operator, one that comes after the final firing does nothing.
 */
public class LiveWindowTrigger extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final long intervalMs;
    private final long horizonMs;

    /** @param horizon how far a window's end may lie before the wall clock for it to still fire early */
    public LiveWindowTrigger(Duration interval, Duration horizon) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("the early firing interval must be positive: " + interval);
        }
        this.intervalMs = interval.toMillis();
        this.horizonMs = horizon.toMillis();
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
        if (isClosed(window, ctx)) {
            return TriggerResult.FIRE; // a late element within the allowed lateness: the final result changes
        }
        armTimers(window, ctx);
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return isClosed(window, ctx) ? TriggerResult.CONTINUE : TriggerResult.FIRE;
    }

    @Override
    public boolean canMerge() {
        return true;
    }

    /** A merge comes from an element: the merged window is active, like the one the element created. */
    @Override
    public void onMerge(TimeWindow window, OnMergeContext ctx) {
        if (!isClosed(window, ctx)) {
            armTimers(window, ctx);
        }
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        long now = ctx.getCurrentProcessingTime();
        if (isCurrent(window, now)) { // else no tick was armed lately: no delete (a tombstone with RocksDB timers)
            ctx.deleteProcessingTimeTimer(nextTick(now));
        }
    }

    private void armTimers(TimeWindow window, TriggerContext ctx) {
        ctx.registerEventTimeTimer(window.maxTimestamp());
        long now = ctx.getCurrentProcessingTime();
        if (isCurrent(window, now)) {
            ctx.registerProcessingTimeTimer(nextTick(now));
        }
    }

    /** The window ends at most the horizon before {@code now}: a visitor may be active in it now. */
    private boolean isCurrent(TimeWindow window, long now) {
        return window.maxTimestamp() >= now - horizonMs;
    }

    /** The first multiple of the interval after {@code now}: at most one interval ahead. */
    private long nextTick(long now) {
        return now - Math.floorMod(now, intervalMs) + intervalMs;
    }

    private static boolean isClosed(TimeWindow window, TriggerContext ctx) {
        return window.maxTimestamp() <= ctx.getCurrentWatermark();
    }

    @Override
    public String toString() {
        return "LiveWindowTrigger(" + intervalMs + " ms, horizon " + horizonMs + " ms)";
    }
}
