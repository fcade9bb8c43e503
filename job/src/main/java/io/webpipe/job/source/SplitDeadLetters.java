package io.webpipe.job.source;

import io.webpipe.schema.WebEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes accepted events on and sends rejected records to the {@link #DEAD_LETTERS} side output.
 * Metrics: {@code eventsDecoded}, and {@code deadLetters} per {@code reason} ({@link DeadLetterKind}).
 */
public class SplitDeadLetters extends ProcessFunction<DecodedRecord, WebEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SplitDeadLetters.class);

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Counter decoded;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> deadLetters;

    @Override
    public void open(OpenContext openContext) {
        metrics = getRuntimeContext().getMetricGroup();
        decoded = metrics.counter("eventsDecoded");
        deadLetters = new HashMap<>();
    }

    @Override
    public void processElement(DecodedRecord record, Context ctx, Collector<WebEvent> out) {
        if (record.isAccepted()) {
            decoded.inc();
            out.collect(record.event);
        } else {
            deadLetters.computeIfAbsent(DeadLetterKind.of(record.deadLetter.reason),
                    kind -> metrics.addGroup("reason", kind).counter("deadLetters")).inc();
            LOG.debug("dead letter {}", record.deadLetter);
            ctx.output(DEAD_LETTERS, record.deadLetter);
        }
    }
}
