package io.webpipe.job.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.quality.Engagement;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.state.KeepsRecentValues;
import io.webpipe.job.state.RecentValues;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sessions per visitor and their document writes, with the rules of Flink's event-time session windows (windows of
 * {@code gap} that merge when they touch, a final result when the watermark passes a window's end, a late element
 * within the allowed lateness fires it again, a later one goes to {@link #TOO_LATE}) and live documents while a
 * visitor is active, as the tests' reference {@code LiveWindowTrigger} fires windows early: at the first tick of
 * processing time (a multiple of {@code liveInterval}) after a session changed, if it ends at most {@code horizon}
 * before the wall clock.
 *
 * <p>Why not the window operator: it keeps the merging-window set, the window's aggregate and the written documents
 * in three states and moves two timers per merge, so that an event cost about six state accesses and three timer
 * operations; here a visitor's whole state is one value ({@link VisitorSessions}), an event reads and writes it once,
 * and a visitor relies on one event-time timer: the earliest step due. A session that grows past that time gets its
 * timer when the earlier one fires and finds nothing due, not on every event (a later timer left pending when the
 * next step moved earlier fires, finds nothing due, and costs only its firing).
 *
 * <p>Each write is an upsert of the session's document, and a delete of every document this visitor had written
 * earlier that the session now covers (an earlier first event changes a session's id, a bridge merges two): one
 * document per session at all times. A live document has {@code live: true}; the final one rewrites it under the
 * same id.
 */
public class Sessionize extends KeyedProcessFunction<String, WebEvent, DocumentWrite> implements KeepsRecentValues {
    private static final long serialVersionUID = 1L;

    /** Events whose session is final and past the allowed lateness: they are set aside, not counted. */
    public static final OutputTag<WebEvent> TOO_LATE = new OutputTag<>("late-events", TypeInformation.of(WebEvent.class));

    public static final ValueStateDescriptor<VisitorSessions> SESSIONS =
            new ValueStateDescriptor<>("sessions", VisitorSessionsSerializer.INSTANCE);

    /** Visitors kept deserialized per subtask with RocksDB ({@link RecentValues}): a few KB each, tens of MB at most. */
    static final int RECENT_VISITORS = 4_096;

    private final long gapMs;
    private final long allowedLatenessMs;
    private final long liveIntervalMs;
    private final long horizonMs;
    private final String index;
    private final Clock clock;
    private final Engagement engagement;

    /**
     * The visitors' state, the {@link #RECENT_VISITORS} most recent deserialized with RocksDB: there an event read,
     * deserialized, serialized and wrote its visitor's whole state, though a visitor's events come in bursts.
     */
    private transient RecentValues<VisitorSessions> state;
    private transient SessionDocuments documents;
    private transient ObjectMapper json;
    private transient Counter upserts;
    private transient Counter liveUpserts;
    private transient Counter deletes;

    /**
     * @param horizon how far a session's end may lie before the wall clock for it to still be written live
     * @param clock   gives the documents' versions ({@code updatedAt}), which never go backwards whatever it does
     */
    public Sessionize(Duration gap, Duration allowedLateness, Duration liveInterval, Duration horizon, String index,
            Clock clock, Engagement engagement) {
        if (liveInterval.isZero() || liveInterval.isNegative()) {
            throw new IllegalArgumentException("the live interval must be positive: " + liveInterval);
        }
        this.gapMs = gap.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.liveIntervalMs = liveInterval.toMillis();
        this.horizonMs = horizon.toMillis();
        this.index = index;
        this.clock = clock;
        this.engagement = engagement;
    }

    @Override
    public void open(OpenContext openContext) {
        state = new RecentValues<>(getRuntimeContext().getState(SESSIONS), RECENT_VISITORS);
        documents = new SessionDocuments(new UserAgents(), engagement);
        json = new ObjectMapper();
        upserts = getRuntimeContext().getMetricGroup().counter("sessionsWritten");
        liveUpserts = getRuntimeContext().getMetricGroup().counter("liveSessionsWritten");
        deletes = getRuntimeContext().getMetricGroup().counter("sessionsSuperseded");
    }

    @Override
    public RecentValues<VisitorSessions> recentValues() {
        return state;
    }

    @Override
    public void processElement(WebEvent event, Context ctx, Collector<DocumentWrite> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        VisitorSessions visitor = state.value(ctx.getCurrentKey());
        if (visitor == null) {
            visitor = new VisitorSessions();
        }
        if (visitor.windowMaxTimestamp(event, gapMs) + allowedLatenessMs <= watermark) {
            ctx.output(TOO_LATE, event);
            return; // nothing changed: a visitor with no state keeps none
        }
        OpenSession session = visitor.add(event, gapMs);
        long end = session.maxTimestamp(gapMs);
        if (end <= watermark) {
            write(ctx.getCurrentKey(), visitor, session, watermark, out); // late, within the allowed lateness
            session.finalWritten = true;
        } else {
            long now = ctx.timerService().currentProcessingTime();
            if (end >= now - horizonMs) { // current by the wall clock: a visitor may be active in it now
                session.liveDue = true;
                long tick = now - Math.floorMod(now, liveIntervalMs) + liveIntervalMs;
                if (visitor.tick != tick) {
                    ctx.timerService().registerProcessingTimeTimer(tick);
                    visitor.tick = tick;
                }
            }
        }
        schedule(visitor, ctx.timerService(), watermark);
        state.update(ctx.getCurrentKey(), visitor);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DocumentWrite> out) throws Exception {
        VisitorSessions visitor = state.value(ctx.getCurrentKey());
        if (visitor == null) {
            return; // a tick for a visitor purged since
        }
        long watermark = ctx.timerService().currentWatermark();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            visitor.tick = 0;
            for (OpenSession session : visitor.sessions) {
                if (session.liveDue && session.maxTimestamp(gapMs) > watermark) {
                    write(ctx.getCurrentKey(), visitor, session, watermark, out);
                }
                session.liveDue = false;
            }
        } else {
            for (OpenSession session : visitor.sessions.clone()) {
                long end = session.maxTimestamp(gapMs);
                if (!session.finalWritten && end <= watermark) {
                    write(ctx.getCurrentKey(), visitor, session, watermark, out);
                    session.finalWritten = true;
                }
                if (end + allowedLatenessMs <= watermark) {
                    visitor.purge(session, gapMs);
                }
            }
            if (visitor.sessions.length == 0) {
                state.clear(ctx.getCurrentKey()); // a pending tick finds nothing; the written documents were all within purged sessions
                return;
            }
            schedule(visitor, ctx.timerService(), watermark);
        }
        state.update(ctx.getCurrentKey(), visitor);
    }

    /** Asks for a timer at the next step due unless one at or before it is pending. */
    private void schedule(VisitorSessions visitor, TimerService timers, long watermark) {
        long due = visitor.nextDue(gapMs, allowedLatenessMs);
        if (due != Long.MAX_VALUE && (visitor.timer <= watermark || due < visitor.timer)) {
            timers.registerEventTimeTimer(due);
            visitor.timer = due;
        }
    }

    private void write(String visitorId, VisitorSessions visitor, OpenSession session, long watermark,
            Collector<DocumentWrite> out) throws Exception {
        SessionSummary summary = session.summary;
        String id = SessionIds.of(visitorId, summary.firstTime, summary.firstEventId);
        long now = clock.millis();
        VisitorSessions.Write write = visitor.write(session, id, gapMs, now);
        for (WrittenSession superseded : write.superseded()) {
            deletes.inc();
            out.collect(DocumentWrite.delete(index, superseded.id, superseded.nextVersion(now)));
        }
        // updatedAt is the document's external version: it never goes backwards, whatever the clock does.
        SessionDocument doc = documents.build(summary, id, Instant.ofEpochMilli(write.version()));
        doc.live = session.maxTimestamp(gapMs) > watermark;
        session.liveDue = false;
        (doc.live ? liveUpserts : upserts).inc();
        out.collect(DocumentWrite.upsert(index, id, json.writeValueAsString(doc), write.version()));
    }
}
