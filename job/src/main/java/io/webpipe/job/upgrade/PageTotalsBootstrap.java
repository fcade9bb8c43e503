package io.webpipe.job.upgrade;

import io.webpipe.job.pages.PageTotal;
import io.webpipe.job.pages.PageTotals;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/**
 * Writes the page totals' state ({@link PageTotals}) from the entries of an old savepoint: each page's totals with
 * the views its old page windows had not reported added, in whatever order the entries come (the counts, the sketch
 * and the latest view alike; a missing title is taken from whichever entry has one first, as {@link PageTotal} does). The page gets the
 * timers {@link PageTotals} would have asked for: its idle timer, and a document write due at once when anything is
 * unwritten (the savepoint's pending write, or the views added here).
 */
class PageTotalsBootstrap extends KeyedStateBootstrapFunction<String, PageTotalsEntry> {
    private static final long serialVersionUID = 1L;

    private final long idleTimeoutMs;
    private transient ValueState<PageTotal> state;

    PageTotalsBootstrap(Duration idleTimeout) {
        this.idleTimeoutMs = idleTimeout.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(PageTotals.TOTAL);
    }

    @Override
    public void processElement(PageTotalsEntry entry, Context ctx) throws Exception {
        PageTotal before = state.value();
        // The timers registered here for the entries before (read now: the totals are added to in place).
        long idleTimer = before == null ? Long.MIN_VALUE : before.lastSeen + idleTimeoutMs;
        long flushTimer = before == null ? 0 : before.flushAt;
        PageTotal t;
        if (entry.total != null) {
            t = entry.total;
            if (before != null) {
                t.addAll(before);
            }
        } else {
            t = before == null ? new PageTotal() : before;
            t.add(entry.unreported);
        }
        if (idleTimer != t.lastSeen + idleTimeoutMs) {
            if (before != null) {
                ctx.timerService().deleteEventTimeTimer(idleTimer);
            }
            ctx.timerService().registerEventTimeTimer(t.lastSeen + idleTimeoutMs);
        }
        if (flushTimer != 0) {
            t.flushAt = flushTimer;
        } else if (t.flushAt != 0 || entry.unreported != null) {
            // Due now, by the wall clock (the bootstrap's timer service has no processing time to read): a restored
            // processing-time timer in the past fires at once.
            t.flushAt = System.currentTimeMillis();
            ctx.timerService().registerProcessingTimeTimer(t.flushAt);
        }
        state.update(t);
    }
}
