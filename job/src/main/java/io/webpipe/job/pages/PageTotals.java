package io.webpipe.job.pages;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.state.KeepsRecentValues;
import io.webpipe.job.state.RecentValues;
import io.webpipe.schema.PageDocument;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per page: adds each summary of views ({@link SummarizePageViews}) to the running totals and writes the whole page
 * document (idempotent upsert by id, external version = {@code updatedAt}, never going backwards).
 *
 * <p>Bounded state per page, whatever the traffic: distinct visitors are the union of the summaries' sketches
 * ({@link VisitorSketch}: at most about 4.1 KB; exact while the page has few visitors, then within ±3.3 % for 95 %
 * of estimates). A page without views for {@code idleTimeout} of event time is forgotten: its state and timers go, its
 * document stays; a later view starts its totals anew.
 *
 * <p>{@code recentViews} counts the views per minute of the page's latest {@code PageDocument.RECENT_MINUTES}
 * minutes ({@link RecentViews}, bounded too): views are summarized as they come, so the current minute is in the
 * document within a flush interval.
 *
 * <p>Writes are coalesced: a document is due {@code flushInterval} after the first change since the
 * last write (a processing-time timer), and when the page turns idle (an event-time timer, which the
 * final watermark of a bounded input also reaches). Replaying a backlog brings thousands of summaries of a
 * page within seconds; writing each would cost more than the whole sessionization.
 */
public class PageTotals extends KeyedProcessFunction<String, PageWindowSummary, DocumentWrite> implements KeepsRecentValues {
    private static final long serialVersionUID = 1L;

    public static final ValueStateDescriptor<PageTotal> TOTAL =
            new ValueStateDescriptor<>("page-total", TypeInformation.of(PageTotal.class));

    /**
     * Pages kept deserialized per subtask with RocksDB ({@link RecentValues}): about 4 KB each (the visitor sketch),
     * 4 MB at most. A page's summaries come one after another, each read and wrote the whole total.
     */
    static final int RECENT_PAGES = 1_024;

    private final String index;
    private final long flushIntervalMs;
    private final long idleTimeoutMs;
    private final Clock clock;
    private transient RecentValues<PageTotal> total;
    private transient ObjectMapper json;

    /** @param clock gives the documents' versions ({@code updatedAt}), which never go backwards whatever it does */
    public PageTotals(String index, Duration flushInterval, Duration idleTimeout, Clock clock) {
        this.clock = clock;
        this.index = index;
        this.flushIntervalMs = flushInterval.toMillis();
        this.idleTimeoutMs = idleTimeout.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        total = new RecentValues<>(getRuntimeContext().getState(TOTAL), RECENT_PAGES);
        json = new ObjectMapper();
    }

    @Override
    public RecentValues<PageTotal> recentValues() {
        return total;
    }

    @Override
    public void processElement(PageWindowSummary summary, Context context, Collector<DocumentWrite> out) throws Exception {
        String pageKey = context.getCurrentKey();
        PageTotal t = total.value(pageKey);
        if (t == null) {
            t = new PageTotal();
        }
        if (t.lastEventId == null) {
            // The page's one idle timer; moved by the timer itself, not by every summary (a delete and a register each).
            context.timerService().registerEventTimeTimer(summary.lastSeen + idleTimeoutMs);
        }
        t.add(summary);
        if (t.flushAt == 0) {
            t.flushAt = context.timerService().currentProcessingTime() + flushIntervalMs;
            context.timerService().registerProcessingTimeTimer(t.flushAt);
        }
        total.update(pageKey, t);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<DocumentWrite> out) throws Exception {
        String pageKey = context.getCurrentKey();
        PageTotal t = total.value(pageKey);
        if (t == null) {
            return;
        }
        boolean idle = context.timeDomain() == TimeDomain.EVENT_TIME;
        if (idle && timestamp < t.lastSeen + idleTimeoutMs) {
            context.timerService().registerEventTimeTimer(t.lastSeen + idleTimeoutMs); // a view came since: not idle yet
            return;
        }
        if (t.flushAt != 0) {
            if (t.flushAt != timestamp) {
                context.timerService().deleteProcessingTimeTimer(t.flushAt);
            }
            t.flushAt = 0;
            t.version = Math.max(clock.millis(), t.version + 1);
            t.visitors = VisitorSketch.estimate(t.visitorSketch);
            out.collect(DocumentWrite.upsert(index, pageKey, json.writeValueAsString(document(t)), t.version));
        }
        if (idle) {
            total.clear(pageKey); // the document stays, the state goes
        } else {
            total.update(pageKey, t);
        }
    }

    static PageDocument document(PageTotal t) {
        PageDocument doc = new PageDocument();
        doc.pageId = t.pageId;
        doc.url = t.url;
        doc.pageTitle = t.pageTitle;
        doc.views = t.views;
        doc.visitors = t.visitors;
        doc.recentViews = t.recentViews.toDocument();
        doc.botViews = t.botViews;
        doc.firstSeen = Instant.ofEpochMilli(t.firstSeen).toString();
        doc.lastSeen = Instant.ofEpochMilli(t.lastSeen).toString();
        doc.updatedAt = Instant.ofEpochMilli(t.version).toString();
        return doc;
    }
}
