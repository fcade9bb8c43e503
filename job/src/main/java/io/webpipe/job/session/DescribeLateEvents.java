package io.webpipe.job.session;

import io.webpipe.schema.WebEvent;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Counts the events a window refused as too late and says why, for the late topic. */
public class DescribeLateEvents extends ProcessFunction<WebEvent, LateEvent> {
    private static final long serialVersionUID = 1L;

    private final String why;
    private final String metric;
    private transient Counter lateEvents;

    private DescribeLateEvents(String why, String metric) {
        this.why = why;
        this.metric = metric;
    }

    /** Too late for the session windows. */
    public static DescribeLateEvents forSessions(Duration gap, Duration allowedLateness) {
        return new DescribeLateEvents(" plus the session gap (" + gap + ") and the allowed lateness (" + allowedLateness
                + ") is already behind the watermark, so its session is final", "lateEvents");
    }

    /** Too late for the page catalogue's windows (the same event may be in time for its session). */
    public static DescribeLateEvents forPages(Duration window, Duration allowedLateness) {
        return new DescribeLateEvents(" is in a page window (" + window + ") whose end plus the allowed lateness ("
                + allowedLateness + ") is already behind the watermark, so the page catalogue does not count it", "latePageViews");
    }

    @Override
    public void open(OpenContext openContext) {
        lateEvents = getRuntimeContext().getMetricGroup().counter(metric);
    }

    @Override
    public void processElement(WebEvent event, Context ctx, Collector<LateEvent> out) {
        lateEvents.inc();
        long watermark = ctx.timerService().currentWatermark();
        String reason = "too late: event time " + Instant.ofEpochMilli(event.timestamp) + why;
        out.collect(new LateEvent(reason, Instant.ofEpochMilli(watermark).toString(), event));
    }
}
