package io.webpipe.job.session;

import io.webpipe.job.state.KeepsRecentValues;
import io.webpipe.job.state.RecentValues;
import io.webpipe.schema.WebEvent;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per visitor, in front of the sessions and the page statistics: drops a redelivered event (same {@code eventId}),
 * their only protection against counting one twice (they keep counts, not events), and sets aside, with the
 * reason, every event beyond {@code maxEvents} of a visitor's open events, so that no visitor (a bot, an
 * attacker) can make a session hold more than that.
 *
 * <p>"Open" means: not yet final. The ids are kept until event time passes the visitor's latest event plus
 * {@code finalAfter}; from then on every session window that took an event of the visitor is purged and every
 * page window late, and an event of that time or earlier would be too late anyway, so forgetting the ids loses
 * nothing. The timer for that is set once, for the visitor's first event, rounded up to the minute, and never moved
 * on an event (moving it on every event cost a tenth of the job's CPU, one per minute of event time still 3 %): when it fires
 * and the visitor's latest event has moved on, it is set again for the new latest one. A visitor holds one timer,
 * and is forgotten at most a minute later than it could be.
 */
public class GuardSessions extends KeyedProcessFunction<String, WebEvent, WebEvent> implements KeepsRecentValues {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<LateEvent> OVER_LIMIT = new OutputTag<>("over-session-limit", TypeInformation.of(LateEvent.class));

    static final MapStateDescriptor<String, Boolean> SEEN = new MapStateDescriptor<>("open-event-ids", Types.STRING, Types.BOOLEAN);
    static final ValueStateDescriptor<OpenEvents> OPEN = new ValueStateDescriptor<>("open-events", TypeInformation.of(OpenEvents.class));

    private static final long TIMER_GRID_MS = 60_000;

    /** Visitors whose counts stay deserialized with RocksDB ({@link RecentValues}): as many as the sessionizer keeps. */
    static final int RECENT_VISITORS = Sessionize.RECENT_VISITORS;

    private final long finalAfterMs;
    private final int maxEvents;

    private transient MapState<String, Boolean> seen;
    private transient RecentValues<OpenEvents> open;
    private transient Counter duplicates;
    private transient Counter overLimit;
    private transient volatile long watermark = Long.MIN_VALUE;

    /**
     * @param finalAfter how long after its latest event a window may still take an event of the visitor
     *     ({@code SessionJob.guardedFor}: the gap, the allowed lateness and a page window)
     * @param maxEvents  open events kept per visitor; more are set aside
     */
    public GuardSessions(Duration finalAfter, int maxEvents) {
        this.finalAfterMs = finalAfter.toMillis();
        this.maxEvents = maxEvents;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(SEEN);
        open = new RecentValues<>(getRuntimeContext().getState(OPEN), RECENT_VISITORS);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
        // How far event time is behind the wall clock here, as of the last event or timer this subtask saw.
        getRuntimeContext().getMetricGroup().<Long, Gauge<Long>>gauge("eventTimeLagMs",
                () -> watermark == Long.MIN_VALUE ? 0L : System.currentTimeMillis() - watermark);
        overLimit = getRuntimeContext().getMetricGroup().counter("eventsOverSessionLimit");
    }

    @Override
    public RecentValues<OpenEvents> recentValues() {
        return open;
    }

    @Override
    public void processElement(WebEvent event, Context ctx, Collector<WebEvent> out) throws Exception {
        watermark = ctx.timerService().currentWatermark();
        if (seen.contains(event.eventId)) {
            duplicates.inc();
            return;
        }
        OpenEvents state = open.value(ctx.getCurrentKey()); // one read (with RocksDB a lookup and a deserialization)
        if (state == null) {
            state = new OpenEvents();
        }
        if (state.count >= maxEvents) {
            overLimit.inc();
            ctx.output(OVER_LIMIT, new LateEvent("over the session limit: visitor " + event.visitorId + " already has "
                    + maxEvents + " events in sessions that are not final (session.max-events)",
                    Instant.ofEpochMilli(ctx.timerService().currentWatermark()).toString(), event));
            return;
        }
        seen.put(event.eventId, Boolean.TRUE);
        state.count++;
        if (state.count == 1) {
            ctx.timerService().registerEventTimeTimer(forgetAt(event.timestamp));
            state.latest = event.timestamp;
        } else {
            state.latest = Math.max(state.latest, event.timestamp);
        }
        open.update(ctx.getCurrentKey(), state);
        out.collect(event);
    }

    /** A timer that finds the visitor's latest event moved on sets the next one (savepoints may hold several). */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WebEvent> out) throws Exception {
        watermark = ctx.timerService().currentWatermark();
        OpenEvents state = open.value(ctx.getCurrentKey());
        if (state == null) {
            return;
        }
        if (timestamp >= state.latest + finalAfterMs) {
            seen.clear();
            open.clear(ctx.getCurrentKey());
        } else {
            ctx.timerService().registerEventTimeTimer(forgetAt(state.latest));
        }
    }

    /** When the visitor's ids may go, if {@code latest} stays its latest event time: rounded up to the minute. */
    private long forgetAt(long latest) {
        long at = latest + finalAfterMs;
        return Math.floorDiv(at + TIMER_GRID_MS - 1, TIMER_GRID_MS) * TIMER_GRID_MS;
    }

    /** How many distinct events of the visitor are open, and the latest event time among them. A Flink POJO. */
    public static class OpenEvents {
        public int count;
        public long latest;

        public OpenEvents() {}
    }
}
