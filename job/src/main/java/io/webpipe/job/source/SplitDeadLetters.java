package io.webpipe.job.source;

import io.webpipe.schema.WebEvent;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Passes accepted events on and sends rejected records to the {@link #DEAD_LETTERS} side output. */
public class SplitDeadLetters extends ProcessFunction<DecodedRecord, WebEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SplitDeadLetters.class);

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Counter deadLetters;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(DecodedRecord record, Context ctx, Collector<WebEvent> out) {
        if (record.isAccepted()) {
            out.collect(record.event);
        } else {
            deadLetters.inc();
            LOG.debug("dead letter {}", record.deadLetter);
            ctx.output(DEAD_LETTERS, record.deadLetter);
        }
    }
}
