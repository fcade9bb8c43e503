package io.webpipe.job.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.quality.Engagement;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.schema.SessionDocument;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a fired session window (the {@link SessionSummary} of its events) into document writes: an upsert of the session's document and a
 * delete for every document this visitor had written earlier that the window now covers (a late
 * event extended a session backwards or bridged two sessions, so their ids were superseded).
 *
 * <p>A firing before the watermark reaches the window's end is an early one ({@link LiveWindowTrigger}): its
 * document is {@code live}, and the final firing rewrites it with {@code live: false} under the same id. An
 * early document is tracked like a final one, so a later firing that changes the session's first event (an
 * earlier event arrived) or merges it deletes it: one document per session at all times.
 *
 * <p>Which documents were written is kept in keyed global state, because per-window state is not
 * available with merging windows; an entry leaves that state when its window is purged.
 */
public class SessionWindowFunction extends ProcessWindowFunction<SessionSummary, DocumentWrite, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, WrittenSession> WRITTEN = new MapStateDescriptor<>(
            "written-sessions", Types.STRING, TypeInformation.of(WrittenSession.class));

    private final String index;
    private final Clock clock;
    private final Engagement engagement;

    private transient SessionDocuments documents;
    private transient ObjectMapper json;
    private transient Counter upserts;
    private transient Counter liveUpserts;
    private transient Counter deletes;

    /** @param clock gives the documents' versions ({@code updatedAt}), which never go backwards whatever it does */
    public SessionWindowFunction(String index, Clock clock, Engagement engagement) {
        this.index = index;
        this.clock = clock;
        this.engagement = engagement;
    }

    @Override
    public void open(OpenContext openContext) {
        documents = new SessionDocuments(new UserAgents(), engagement);
        json = new ObjectMapper();
        upserts = getRuntimeContext().getMetricGroup().counter("sessionsWritten");
        liveUpserts = getRuntimeContext().getMetricGroup().counter("liveSessionsWritten");
        deletes = getRuntimeContext().getMetricGroup().counter("sessionsSuperseded");
    }

    @Override
    public void process(String visitorId, Context context, Iterable<SessionSummary> summaries, Collector<DocumentWrite> out)
            throws Exception {
        SessionSummary session = summaries.iterator().next(); // an aggregating window holds one
        String sessionId = SessionIds.of(visitorId, session.firstTime, session.firstEventId);
        long now = clock.millis();

        MapState<String, WrittenSession> written = context.globalState().getMapState(WRITTEN);
        List<Map.Entry<String, WrittenSession>> superseded = new ArrayList<>();
        long version = now;
        for (Map.Entry<String, WrittenSession> e : written.entries()) {
            if (e.getKey().equals(sessionId)) {
                version = e.getValue().nextVersion(now);
            } else if (e.getValue().within(context.window().getStart(), context.window().maxTimestamp())) {
                superseded.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        for (Map.Entry<String, WrittenSession> e : superseded) {
            written.remove(e.getKey());
            deletes.inc();
            out.collect(DocumentWrite.delete(index, e.getKey(), e.getValue().nextVersion(now)));
        }
        // updatedAt is the document's external version: it never goes backwards, whatever the clock does.
        SessionDocument doc = documents.build(session, Instant.ofEpochMilli(version));
        doc.live = context.window().maxTimestamp() > context.currentWatermark();
        written.put(sessionId, new WrittenSession(session.firstTime, session.lastTime, version));
        (doc.live ? liveUpserts : upserts).inc();
        out.collect(DocumentWrite.upsert(index, sessionId, toJson(doc), version));
    }

    /** The window is purged (past its allowed lateness): its sessions can no longer change. */
    @Override
    public void clear(Context context) throws Exception {
        MapState<String, WrittenSession> written = context.globalState().getMapState(WRITTEN);
        Iterator<Map.Entry<String, WrittenSession>> it = written.iterator();
        while (it.hasNext()) {
            if (it.next().getValue().within(context.window().getStart(), context.window().maxTimestamp())) {
                it.remove();
            }
        }
        if (written.isEmpty()) {
            written.clear(); // an empty map still takes a state entry in some backends
        }
    }

    private String toJson(SessionDocument doc) throws JsonProcessingException {
        return json.writeValueAsString(doc);
    }
}
