package io.webpipe.job;

import static io.webpipe.job.Events.click;
import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.quality.Engagement;
import io.webpipe.job.session.LiveWindowTrigger;
import io.webpipe.job.session.SessionDocuments;
import io.webpipe.job.session.SessionIds;
import io.webpipe.job.session.SessionSummary;
import io.webpipe.job.session.Sessionize;
import io.webpipe.job.session.UserAgents;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend.PriorityQueueStateType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The sessionizer against Flink's own session windows, which the job used before: the same random streams (visitors
 * whose events arrive out of order, late, too late, bridging sessions; watermarks and processing time moving in
 * between) go into the job's {@code sessionize-visitors} operator and into a window operator with the same gap,
 * allowed lateness, live trigger and the document logic the window function had. After every step the documents
 * each side's writes leave in Elasticsearch are the same, field by field, and so are the events set aside as late.
 * Every other stream runs the sessionizer on RocksDB, where it keeps recent visitors deserialized and writes their
 * changes back later, and restores it now and then from a checkpoint of its own (timers on the heap until the first
 * restore, in RocksDB from then on, as the stack switched).
 */
class SessionizeMatchesWindowsTest {
    private static final long T0 = 1_795_564_800_000L;
    private static final long MIN = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void randomStreamsGiveTheSameDocumentsAtEveryStep() throws Exception {
        int tooLate = 0;
        int deleted = 0;
        int live = 0;
        int restores = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            JobConfig config = JobConfig.load(Map.of(), "--session.gap", (5 + random.nextInt(20)) + "min",
                    "--session.allowed-lateness", random.nextInt(30) + "min", "--sink.versions-as-of", "2026-12-01T00:00:00Z",
                    // the horizon of live documents: sessions ending earlier before the wall clock get none
                    "--watermark.out-of-orderness", (1 + random.nextInt(30)) + "min");
            boolean rocksDb = seed % 2 == 1; // where the sessionizer keeps recent visitors and writes them back later
            try (var sessionizer = new SessionizerRun(config, rocksDb); var windows = windows(config)) {
                windows.open();
                windows.setProcessingTime(T0 - config.outOfOrderness.toMillis());
                long maxSeen = T0;
                long watermark = Long.MIN_VALUE;
                // The wall clock near event time, so that sessions move out of the horizon while they are open.
                long processingTime = T0 - config.outOfOrderness.toMillis();
                for (int step = 0; step < 120; step++) {
                    if (rocksDb && random.nextInt(40) == 0) {
                        sessionizer.restoreFromCheckpoint(step); // the windows go on: a restore changes nothing they see
                    }
                    int what = random.nextInt(10);
                    if (what < 7) {
                        long t = maxSeen - random.nextInt(60) * MIN + random.nextInt(12) * MIN + random.nextInt(3) * 1000;
                        maxSeen = Math.max(maxSeen, t);
                        String visitor = "v" + random.nextInt(3);
                        String id = "e" + step;
                        WebEvent e = random.nextBoolean() ? pageView(id, visitor, t, "/p" + random.nextInt(5)) : click(id, visitor, t);
                        sessionizer.harness.processElement(e, t);
                        windows.processElement(e, t);
                    } else if (what < 9) {
                        watermark = Math.max(watermark, maxSeen - random.nextInt(40) * MIN);
                        sessionizer.watermark(watermark);
                        windows.processWatermark(new Watermark(watermark));
                    } else {
                        processingTime = Math.max(processingTime + random.nextInt(3) * config.sessionLiveInterval.toMillis() + 1,
                                maxSeen - random.nextInt(20) * MIN);
                        sessionizer.processingTime(processingTime);
                        windows.setProcessingTime(processingTime);
                    }
                    assertThat(sessionizer.documents()).as("seed %d, step %d", seed, step).isEqualTo(documents(windows.extractOutputValues()));
                }
                sessionizer.watermark(Long.MAX_VALUE);
                windows.processWatermark(new Watermark(Long.MAX_VALUE));
                assertThat(sessionizer.documents()).as("seed %d, at the end", seed).isEqualTo(documents(windows.extractOutputValues()));
                assertThat(sessionizer.late()).as("seed %d", seed).isEqualTo(late(windows));
                assertThat(rocksDb ? sessionizer.harness.getOperator().getKeyedStateBackend().getKeys(Sessionize.SESSIONS.getName(),
                        VoidNamespace.INSTANCE).count() : sessionizer.harness.numKeyedStateEntries()).as("seed %d: all purged", seed).isZero();
                restores += sessionizer.restores;
                tooLate += sessionizer.late().size();
                deleted += (int) sessionizer.writes().stream().filter(w -> w.action == DocumentWrite.Action.DELETE).count();
                live += (int) sessionizer.writes().stream().filter(w -> w.json != null && w.json.contains("\"live\":true")).count();
            }
        }
        assertThat(tooLate).as("the streams have too-late events").isGreaterThan(30);
        assertThat(deleted).as("and late events that change a session's id or bridge two").isGreaterThan(30);
        assertThat(live).as("and live documents").isGreaterThan(30);
        assertThat(restores).as("and the sessionizer on RocksDB restored from its checkpoints").isGreaterThan(30);
    }

    /**
     * The sessionizer's harness, restored on request from a checkpoint of its own taken as a task takes one (the
     * barrier prepared first), with the writes and late events of every harness so far.
     */
    private static final class SessionizerRun implements AutoCloseable {
        private final JobConfig config;
        private final boolean rocksDb;
        private final List<DocumentWrite> earlierWrites = new ArrayList<>();
        private final List<String> earlierLate = new ArrayList<>();
        private long watermark = Long.MIN_VALUE;
        private long processingTime;
        KeyedOneInputStreamOperatorTestHarness<String, WebEvent, DocumentWrite> harness;
        int restores;

        SessionizerRun(JobConfig config, boolean rocksDb) throws Exception {
            this.config = config;
            this.rocksDb = rocksDb;
            this.processingTime = T0 - config.outOfOrderness.toMillis();
            harness = open(null);
        }

        private KeyedOneInputStreamOperatorTestHarness<String, WebEvent, DocumentWrite> open(OperatorSubtaskState checkpoint)
                throws Exception {
            var opened = sessionizer(config);
            if (rocksDb) {
                // Timers on the heap until the first restore, in RocksDB after it: the stack's switch (it deployed
                // heap timers before; flink-conf/config.yaml) restores heap timers of earlier checkpoints into RocksDB.
                EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
                backend.setPriorityQueueStateType(checkpoint == null ? PriorityQueueStateType.HEAP : PriorityQueueStateType.ROCKSDB);
                opened.setStateBackend(backend);
            }
            opened.setProcessingTime(processingTime);
            if (checkpoint != null) {
                opened.initializeState(checkpoint);
            }
            opened.open();
            return opened;
        }

        void watermark(long watermark) throws Exception {
            this.watermark = watermark;
            harness.processWatermark(new Watermark(watermark));
        }

        void processingTime(long processingTime) throws Exception {
            this.processingTime = processingTime;
            harness.setProcessingTime(processingTime);
        }

        void restoreFromCheckpoint(long checkpointId) throws Exception {
            harness.prepareSnapshotPreBarrier(checkpointId);
            OperatorSubtaskState checkpoint = harness.snapshot(checkpointId, processingTime);
            earlierWrites.addAll(harness.extractOutputValues());
            earlierLate.addAll(SessionizeMatchesWindowsTest.late(harness));
            harness.close();
            harness = open(checkpoint);
            if (watermark != Long.MIN_VALUE) {
                harness.processWatermark(new Watermark(watermark)); // as the inputs send theirs again after a restore
            }
            restores++;
        }

        List<DocumentWrite> writes() {
            List<DocumentWrite> all = new ArrayList<>(earlierWrites);
            all.addAll(harness.extractOutputValues());
            return all;
        }

        Map<String, String> documents() throws Exception {
            return SessionizeMatchesWindowsTest.documents(writes());
        }

        List<String> late() {
            List<String> all = new ArrayList<>(earlierLate);
            all.addAll(SessionizeMatchesWindowsTest.late(harness));
            return all;
        }

        @Override
        public void close() throws Exception {
            harness.close();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, WebEvent, DocumentWrite> sessionizer(JobConfig config)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SessionJob.sessionize(env.fromData(WebEvent.class, new WebEvent()), config);
        return OperatorHarnesses.keyed(env, SessionJob.SESSIONIZE);
    }

    /** The job's session step as it was: Flink's session windows, the live trigger, the window function's logic. */
    private static KeyedOneInputStreamOperatorTestHarness<String, WebEvent, DocumentWrite> windows(JobConfig config)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(WebEvent.class, new WebEvent())
                .keyBy(e -> e.visitorId, Types.STRING)
                .window(EventTimeSessionWindows.withGap(config.sessionGap))
                .trigger(new LiveWindowTrigger(config.sessionLiveInterval, config.outOfOrderness))
                .allowedLateness(config.allowedLateness)
                .sideOutputLateData(Sessionize.TOO_LATE)
                .aggregate(new Summarize<>(SessionSummary::new), new WindowDocuments(config),
                        SessionSummary.TYPE, SessionSummary.TYPE, TypeInformation.of(DocumentWrite.class))
                .uid("windows");
        return OperatorHarnesses.keyed(env, "windows");
    }

    /** What Elasticsearch holds after the writes so far, applied in order: id -> document without its version. */
    private static Map<String, String> documents(List<DocumentWrite> writes) throws Exception {
        Map<String, String> docs = new TreeMap<>();
        for (DocumentWrite w : writes) {
            if (w.action == DocumentWrite.Action.UPSERT) {
                SessionDocument doc = JSON.readValue(w.json, SessionDocument.class);
                doc.updatedAt = null;
                docs.put(w.id, JSON.writeValueAsString(doc));
            } else {
                docs.remove(w.id);
            }
        }
        return docs;
    }

    private static List<String> late(KeyedOneInputStreamOperatorTestHarness<String, WebEvent, DocumentWrite> harness) {
        List<String> ids = new ArrayList<>();
        if (harness.getSideOutput(Sessionize.TOO_LATE) != null) { // null until the first one
            for (StreamRecord<WebEvent> r : harness.getSideOutput(Sessionize.TOO_LATE)) {
                ids.add(r.getValue().eventId);
            }
        }
        return ids;
    }

    /** The window function of the job before the sessionizer (its document logic; versions are not compared). */
    private static final class WindowDocuments extends ProcessWindowFunction<SessionSummary, DocumentWrite, String, TimeWindow> {
        private static final MapStateDescriptor<String, Long[]> WRITTEN = new MapStateDescriptor<>(
                "written-sessions", Types.STRING, TypeInformation.of(Long[].class));
        private final JobConfig config;
        private transient SessionDocuments documents;

        WindowDocuments(JobConfig config) {
            this.config = config;
        }

        @Override
        public void process(String visitorId, Context context, Iterable<SessionSummary> summaries, Collector<DocumentWrite> out)
                throws Exception {
            if (documents == null) {
                documents = new SessionDocuments(new UserAgents(), new Engagement(config.conversionTypes));
            }
            SessionSummary session = summaries.iterator().next();
            String sessionId = SessionIds.of(visitorId, session.firstTime, session.firstEventId);
            MapState<String, Long[]> written = context.globalState().getMapState(WRITTEN);
            List<String> superseded = new ArrayList<>();
            for (Map.Entry<String, Long[]> e : written.entries()) {
                if (!e.getKey().equals(sessionId) && within(e.getValue(), context.window())) {
                    superseded.add(e.getKey());
                }
            }
            for (String id : superseded) {
                written.remove(id);
                out.collect(DocumentWrite.delete(config.sessionsIndex, id, 0));
            }
            SessionDocument doc = documents.build(session, Instant.EPOCH);
            doc.live = context.window().maxTimestamp() > context.currentWatermark();
            written.put(sessionId, new Long[] {session.firstTime, session.lastTime});
            out.collect(DocumentWrite.upsert(config.sessionsIndex, sessionId, JSON.writeValueAsString(doc), 0));
        }

        @Override
        public void clear(Context context) throws Exception {
            MapState<String, Long[]> written = context.globalState().getMapState(WRITTEN);
            List<String> purged = new ArrayList<>();
            for (Map.Entry<String, Long[]> e : written.entries()) {
                if (within(e.getValue(), context.window())) {
                    purged.add(e.getKey());
                }
            }
            for (String id : purged) {
                written.remove(id);
            }
        }

        private static boolean within(Long[] interval, TimeWindow window) {
            return interval[0] >= window.getStart() && interval[1] <= window.maxTimestamp();
        }
    }
}
