package io.webpipe.job.upgrade;

import static io.webpipe.job.Events.click;
import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.JobConfig;
import io.webpipe.job.OperatorHarnesses;
import io.webpipe.job.SessionJob;
import io.webpipe.job.Summarize;
import io.webpipe.job.session.LiveWindowTrigger;
import io.webpipe.job.session.SessionIds;
import io.webpipe.job.session.SessionSummary;
import io.webpipe.job.session.WrittenSession;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs before the sessionizer kept sessions in Flink's session windows ({@code sessionize}: a summary per window,
 * the written documents in global window state); {@link MigrateWindowState} turns them into the sessionizer's state.
 * A savepoint of the old operator (from its harness: a session whose final document is written and that waits out
 * the allowed lateness, an open one written live, a visitor whose two windows merged) is migrated and restored into
 * the current operator, which then goes on as the old one would have: a late bridge merges the final session and the
 * open one into one document under the first one's id and deletes the other's, and the merged visitor's session is
 * written under its id, with both events.
 */
class MigrateSessionWindowsTest {
    private static final long T0 = 1_795_564_800_000L;
    private static final long MIN = 60_000;
    private static final JobConfig CONFIG = JobConfig.load(Map.of());
    private static final long GAP = CONFIG.sessionGap.toMillis();
    private static final long OLD_VERSION = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @Test
    void openSessionsGoOnInTheSessionizerAsInTheWindows(@TempDir Path dir) throws Exception {
        OperatorSubtaskState old;
        try (var harness = oldSessionWindows()) {
            harness.open();
            harness.processElement(pageView("a1", "v", T0, "/a"), T0);
            harness.processWatermark(new Watermark(T0 + GAP)); // v's first session: final, within the allowed lateness
            harness.processElement(pageView("b1", "v", T0 + 45 * MIN, "/b"), T0 + 45 * MIN);
            harness.processElement(pageView("w1", "w", T0 + 40 * MIN, "/w"), T0 + 40 * MIN);
            harness.processElement(click("w2", "w", T0 + 50 * MIN), T0 + 50 * MIN); // w's two windows merge
            harness.setProcessingTime(CONFIG.sessionLiveInterval.toMillis()); // the open sessions written live
            assertThat(harness.extractOutputValues()).hasSize(3);
            old = harness.snapshot(1, 1);
        }
        OperatorSubtaskState migrated = OneOperatorSavepoint.migrate(WindowStateFormat.SESSION_WINDOWS, old, CONFIG, SessionJob.SESSIONIZE, dir);

        try (var current = sessionizer()) {
            current.initializeState(migrated);
            current.open();
            current.processElement(pageView("x", "v", T0 + 20 * MIN, "/bridge"), T0 + 20 * MIN); // late, bridges both
            current.processWatermark(new Watermark(T0 + 50 * MIN + GAP)); // every session final

            String first = SessionIds.of("v", T0, "a1");
            List<DocumentWrite> writes = current.extractOutputValues();
            assertThat(writes).filteredOn(w -> w.action == DocumentWrite.Action.DELETE).extracting(w -> w.id)
                    .containsExactly(SessionIds.of("v", T0 + 45 * MIN, "b1"));
            List<SessionDocument> docs = new ArrayList<>();
            for (DocumentWrite w : writes) {
                if (w.action == DocumentWrite.Action.UPSERT) {
                    assertThat(w.version).isGreaterThan(OLD_VERSION);
                    docs.add(JSON.readValue(w.json, SessionDocument.class));
                }
            }
            assertThat(docs).extracting(d -> d.sessionId + " " + d.live + " " + d.eventCount + " " + d.pages)
                    .containsExactlyInAnyOrder(first + " false 3 [/a, /bridge, /b]",
                            SessionIds.of("w", T0 + 40 * MIN, "w1") + " false 2 [/w]");

            current.processWatermark(new Watermark(T0 + 50 * MIN + GAP + CONFIG.allowedLateness.toMillis()));
            assertThat(current.numKeyedStateEntries()).as("purged after the allowed lateness").isZero();
        }
    }

    /** The old operator: the job's session windows as they were, with the window function's state. */
    private static KeyedOneInputStreamOperatorTestHarness<String, WebEvent, DocumentWrite> oldSessionWindows() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(WebEvent.class, new WebEvent())
                .keyBy(e -> e.visitorId, Types.STRING)
                .window(EventTimeSessionWindows.withGap(CONFIG.sessionGap))
                .trigger(new LiveWindowTrigger(CONFIG.sessionLiveInterval, CONFIG.outOfOrderness))
                .allowedLateness(CONFIG.allowedLateness)
                .aggregate(new Summarize<>(SessionSummary::new), new RecordWrittenSessions(),
                        SessionSummary.TYPE, SessionSummary.TYPE, TypeInformation.of(DocumentWrite.class))
                .uid(WindowStateFormat.SESSION_WINDOWS);
        return OperatorHarnesses.keyed(env, WindowStateFormat.SESSION_WINDOWS, CONFIG.maxParallelism);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, WebEvent, DocumentWrite> sessionizer() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SessionJob.sessionize(env.fromData(WebEvent.class, new WebEvent()), CONFIG);
        return OperatorHarnesses.keyed(env, SessionJob.SESSIONIZE, CONFIG.maxParallelism);
    }

    /** The old window function, as far as its state goes: each firing records its document in {@code written-sessions}. */
    private static final class RecordWrittenSessions extends ProcessWindowFunction<SessionSummary, DocumentWrite, String, TimeWindow> {
        private static final MapStateDescriptor<String, WrittenSession> WRITTEN = new MapStateDescriptor<>(
                "written-sessions", Types.STRING, TypeInformation.of(WrittenSession.class));

        @Override
        public void process(String visitorId, Context context, Iterable<SessionSummary> summaries, Collector<DocumentWrite> out)
                throws Exception {
            SessionSummary session = summaries.iterator().next();
            String id = SessionIds.of(visitorId, session.firstTime, session.firstEventId);
            context.globalState().getMapState(WRITTEN).put(id, new WrittenSession(null, session.firstTime, session.lastTime, OLD_VERSION));
            out.collect(DocumentWrite.upsert("web-sessions", id, "{}", OLD_VERSION));
        }
    }
}
