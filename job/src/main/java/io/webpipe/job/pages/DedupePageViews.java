package io.webpipe.job.pages;

import io.webpipe.schema.WebEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per page: passes each page view on once, whatever how often its {@code eventId} is delivered. The
 * seen ids are keyed state with a time-to-live (processing time since the first delivery), so a
 * duplicate is recognised for {@code remember}; state is checkpointed, so a replay after a restore is
 * recognised too.
 */
public class DedupePageViews extends KeyedProcessFunction<String, WebEvent, PageView> {
    private static final long serialVersionUID = 1L;

    private final Duration remember;
    private transient MapState<String, Boolean> seen;

    public DedupePageViews(Duration remember) {
        this.remember = remember;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, Boolean> descriptor = new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(remember).build());
        seen = getRuntimeContext().getMapState(descriptor);
    }

    @Override
    public void processElement(WebEvent event, Context context, Collector<PageView> out) throws Exception {
        if (!seen.contains(event.eventId)) {
            seen.put(event.eventId, Boolean.TRUE);
            out.collect(PageView.of(event));
        }
    }
}
