package io.webpipe.job.session;

import io.webpipe.job.state.KeepsRecentValues;
import io.webpipe.job.state.RecentValues;
import io.webpipe.job.types.Inserted;
import io.webpipe.schema.WebEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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
 * <p>A visitor's open event ids are kept in its one value ({@link OpenEvents}), their number its count: an event reads
 * and writes the value once (with RocksDB, behind {@link RecentValues}: a burst of the visitor's events costs one read and
 * one write of it), where a map state of the ids cost two more lookups of the key per event (with RocksDB two native
 * calls, a read and a write). Savepoints of the version with that map state ({@link #LEGACY_SEEN}) still restore: a
 * visitor's ids move into its value at its next event, or go with the visitor when its timer forgets it.
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

    static final ValueStateDescriptor<OpenEvents> OPEN = new ValueStateDescriptor<>("open-events", OpenEventsSerializer.INSTANCE);
    /** Where the version before kept the ids, as a map state: read (and emptied) for a visitor restored from it. */
    static final MapStateDescriptor<String, Boolean> LEGACY_SEEN = new MapStateDescriptor<>("open-event-ids", Types.STRING, Types.BOOLEAN);

    private static final long TIMER_GRID_MS = 60_000;

    /** Visitors whose open events stay deserialized with RocksDB ({@link RecentValues}): as many as the sessionizer keeps. */
    static final int RECENT_VISITORS = Sessionize.RECENT_VISITORS;

    private final long finalAfterMs;
    private final int maxEvents;

    private transient MapState<String, Boolean> legacySeen;
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
        legacySeen = getRuntimeContext().getMapState(LEGACY_SEEN);
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
        OpenEvents state = openEvents(ctx.getCurrentKey()); // one read (with RocksDB a lookup and a deserialization)
        if (state.contains(event.eventId)) {
            duplicates.inc();
            return;
        }
        if (state.ids.length >= maxEvents) {
            overLimit.inc();
            ctx.output(OVER_LIMIT, new LateEvent("over the session limit: visitor " + event.visitorId + " already has "
                    + maxEvents + " events in sessions that are not final (session.max-events)",
                    Instant.ofEpochMilli(ctx.timerService().currentWatermark()).toString(), event));
            return;
        }
        state.add(event.eventId);
        if (state.ids.length == 1) {
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
            if (state.ids == null) {
                legacySeen.clear();
            }
            open.clear(ctx.getCurrentKey());
        } else {
            ctx.timerService().registerEventTimeTimer(forgetAt(state.latest));
        }
    }

    /** The visitor's open events, none if it has no state; a value restored with its ids in {@link #LEGACY_SEEN} takes them in. */
    private OpenEvents openEvents(String visitor) throws Exception {
        OpenEvents state = open.value(visitor);
        if (state == null) {
            return OpenEvents.none();
        }
        if (state.ids == null) {
            List<String> ids = new ArrayList<>();
            legacySeen.keys().forEach(ids::add);
            state.setIds(ids.toArray(String[]::new));
            legacySeen.clear();
            open.update(visitor, state);
        }
        return state;
    }

    /** When the visitor's ids may go, if {@code latest} stays its latest event time: rounded up to the minute. */
    private long forgetAt(long latest) {
        long at = latest + finalAfterMs;
        return Math.floorDiv(at + TIMER_GRID_MS - 1, TIMER_GRID_MS) * TIMER_GRID_MS;
    }

    /**
     * The visitor's open events: their ids and the latest event time among them ({@link OpenEventsSerializer}; a Flink
     * POJO with their count before, whose values restore). {@code ids} is null only in a value restored from the version that kept
     * them in {@link #LEGACY_SEEN}. The ids are ordered by hash code, then by the string, beside their hash codes, so that
     * a search reads one small array of ints and, for an id it holds, one string: a redelivered event is rare, and a
     * sorted array of the strings cost a string read from far apart in memory at every step of a binary search.
     */
    public static class OpenEvents {
        public long latest;
        public String[] ids; // no initializer: a value restored without the field must keep it null
        /** The hash codes of {@link #ids}, in their order; null with them. Neither array is ever changed in place. */
        int[] hashes;

        public OpenEvents() {}

        /** A visitor's first event's state. */
        static OpenEvents none() {
            OpenEvents none = new OpenEvents();
            none.ids = NO_IDS;
            none.hashes = NO_HASHES;
            return none;
        }

        /** Takes {@code unordered} (read back, already in order, or moved in; the array becomes the value's) as its ids. */
        void setIds(String[] unordered) {
            ids = unordered;
            Arrays.sort(ids, ORDER); // linear for ids read back in order
            hashes = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                hashes[i] = ids[i].hashCode();
            }
        }

        boolean contains(String id) {
            return place(id) >= 0;
        }

        /** Adds an id it does not hold, in its place in the order: new arrays, as long as there are ids. */
        void add(String id) {
            int at = -place(id) - 1;
            ids = Inserted.into(ids, at, id);
            hashes = Inserted.into(hashes, at, id.hashCode());
        }

        /**
         * The index of {@code id}, or -(where it would go) - 1: a binary search of the hash codes, then of the strings of
         * the same hash code, so that ids made to share one (easy with Java's string hash) cost a few compares, not a scan.
         */
        private int place(String id) {
            int hash = id.hashCode();
            int from = firstAbove(hashes, hash - 1L);
            int to = from < hashes.length && hashes[from] == hash ? firstAbove(hashes, hash) : from;
            return from == to ? -from - 1 : Arrays.binarySearch(ids, from, to, id);
        }

        /** The first index whose hash code is above {@code bound} (the length if none is). */
        private static int firstAbove(int[] hashes, long bound) {
            int low = 0;
            int high = hashes.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (hashes[mid] > bound) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            return low;
        }
    }

    /** The order of a visitor's ids: by hash code, then by the string. */
    private static final Comparator<String> ORDER = Comparator.comparingInt(String::hashCode).thenComparing(Comparator.naturalOrder());
    private static final String[] NO_IDS = new String[0];
    private static final int[] NO_HASHES = new int[0];
}
