package io.webpipe.job.pages;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.schema.PageDocument;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per page: adds each window summary to the running totals and writes the whole page document
 * (idempotent upsert by id, external version = {@code updatedAt}, never going backwards). Distinct
 * visitors are exact: every visitor id of the page is kept in keyed map state.
 *
 * <p>Writes are coalesced: a document is due {@code flushInterval} after the first change since the
 * last write (a processing-time timer), and at the end of a bounded input (an event-time timer at the
 * end of time, which only the final watermark reaches). Replaying a backlog fires thousands of
 * windows of a page within seconds; writing each would cost more than the whole sessionization.
 */
public class PageTotals extends KeyedProcessFunction<String, PageWindowSummary, DocumentWrite> {
    private static final long serialVersionUID = 1L;

    static final ValueStateDescriptor<PageTotal> TOTAL =
            new ValueStateDescriptor<>("page-total", TypeInformation.of(PageTotal.class));
    static final MapStateDescriptor<String, Boolean> VISITORS =
            new MapStateDescriptor<>("page-visitors", Types.STRING, Types.BOOLEAN);

    private final String index;
    private final long flushIntervalMs;
    private transient ValueState<PageTotal> total;
    private transient MapState<String, Boolean> visitors;
    private transient ObjectMapper json;

    public PageTotals(String index, Duration flushInterval) {
        this.index = index;
        this.flushIntervalMs = flushInterval.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        total = getRuntimeContext().getState(TOTAL);
        visitors = getRuntimeContext().getMapState(VISITORS);
        json = new ObjectMapper();
    }

    @Override
    public void processElement(PageWindowSummary summary, Context context, Collector<DocumentWrite> out) throws Exception {
        PageTotal t = total.value() == null ? new PageTotal() : total.value();
        t.views += summary.views;
        for (String visitor : summary.visitorIds) {
            if (!visitors.contains(visitor)) {
                visitors.put(visitor, Boolean.TRUE);
                t.visitors++;
            }
        }
        t.firstSeen = Math.min(t.firstSeen, summary.firstSeen);
        if (t.lastEventId == null || summary.lastSeen > t.lastSeen
                || (summary.lastSeen == t.lastSeen && summary.lastEventId.compareTo(t.lastEventId) > 0)) {
            t.lastSeen = summary.lastSeen;
            t.lastEventId = summary.lastEventId;
            t.pageId = summary.pageId;
            t.url = summary.url;
            if (summary.pageTitle != null) {
                t.pageTitle = summary.pageTitle;
            }
        } else if (t.pageTitle == null) {
            t.pageTitle = summary.pageTitle;
        }
        if (t.flushAt == 0) {
            t.flushAt = context.timerService().currentProcessingTime() + flushIntervalMs;
            context.timerService().registerProcessingTimeTimer(t.flushAt);
            context.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        total.update(t);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<DocumentWrite> out) throws Exception {
        PageTotal t = total.value();
        if (t == null || t.flushAt == 0) {
            return; // the other timer of this change already wrote it
        }
        t.flushAt = 0;
        t.version = Math.max(System.currentTimeMillis(), t.version + 1);
        total.update(t);
        out.collect(DocumentWrite.upsert(index, context.getCurrentKey(), json.writeValueAsString(document(t)), t.version));
    }

    static PageDocument document(PageTotal t) {
        PageDocument doc = new PageDocument();
        doc.pageId = t.pageId;
        doc.url = t.url;
        doc.pageTitle = t.pageTitle;
        doc.views = t.views;
        doc.visitors = t.visitors;
        doc.firstSeen = Instant.ofEpochMilli(t.firstSeen).toString();
        doc.lastSeen = Instant.ofEpochMilli(t.lastSeen).toString();
        doc.updatedAt = Instant.ofEpochMilli(t.version).toString();
        return doc;
    }
}
