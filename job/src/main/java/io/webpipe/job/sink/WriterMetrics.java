package io.webpipe.job.sink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;

/**
 * Gives the Elasticsearch writer's bulk listener the writer's metric group. The connector builds its bulk
 * processor inside {@code createWriter} and hands the factory no metric group, so {@link #around} makes the
 * group of the writer being created available to that factory on the same thread, for that call only.
 */
public final class WriterMetrics {
    private static final ThreadLocal<MetricGroup> CREATING = new ThreadLocal<>();

    public final Counter superseded;
    public final Counter refused;

    private WriterMetrics(Counter superseded, Counter refused) {
        this.superseded = superseded;
        this.refused = refused;
    }

    /** The counters of the writer being created, or unregistered ones outside {@link #around}. */
    public static WriterMetrics current() {
        MetricGroup group = CREATING.get();
        return group == null
                ? new WriterMetrics(new SimpleCounter(), new SimpleCounter())
                : new WriterMetrics(group.counter("documentsSuperseded"), group.counter("documentsRefused"));
    }

    /** {@code sink} whose writers register {@code documentsSuperseded} and {@code documentsRefused}. */
    public static <IN> Sink<IN> around(Sink<IN> sink) {
        return new Metered<>(sink);
    }

    private static final class Metered<IN> implements Sink<IN> {
        private static final long serialVersionUID = 1L;
        private final Sink<IN> sink;

        Metered(Sink<IN> sink) {
            this.sink = sink;
        }

        @Override
        @SuppressWarnings("deprecation") // the one abstract method of Sink in Flink 1.20, which the connector implements
        public SinkWriter<IN> createWriter(InitContext context) throws java.io.IOException {
            CREATING.set(context.metricGroup());
            try {
                return sink.createWriter(context);
            } finally {
                CREATING.remove();
            }
        }
    }
}
