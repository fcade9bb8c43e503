package io.webpipe.job.session;

import io.webpipe.schema.WebEvent;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Counts the events the session windows refused as too late and says why, for the late topic. */
public class DescribeLateEvents extends ProcessFunction<WebEvent, LateEvent> {
    private static final long serialVersionUID = 1L;

    private final Duration gap;
    private final Duration allowedLateness;
    private transient Counter lateEvents;

    public DescribeLateEvents(Duration gap, Duration allowedLateness) {
        this.gap = gap;
        this.allowedLateness = allowedLateness;
    }

    @Override
    public void open(OpenContext openContext) {
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(WebEvent event, Context ctx, Collector<LateEvent> out) {
        lateEvents.inc();
        long watermark = ctx.timerService().currentWatermark();
        String reason = "too late: event time " + Instant.ofEpochMilli(event.timestamp)
                + " plus the session gap (" + gap + ") and the allowed lateness (" + allowedLateness
                + ") is already behind the watermark, so its session is final";
        out.collect(new LateEvent(reason, Instant.ofEpochMilli(watermark).toString(), event));
    }
}
