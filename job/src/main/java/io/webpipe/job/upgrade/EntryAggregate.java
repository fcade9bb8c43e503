package io.webpipe.job.upgrade;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.util.function.SerializableFunction;

/** The job's aggregation of a window, applied to the elements that migration entries carry. */
final class EntryAggregate<E, T, ACC> implements AggregateFunction<E, ACC, ACC> {
    private static final long serialVersionUID = 1L;

    private final AggregateFunction<T, ACC, ACC> job;
    private final SerializableFunction<E, T> element;

    EntryAggregate(AggregateFunction<T, ACC, ACC> job, SerializableFunction<E, T> element) {
        this.job = job;
        this.element = element;
    }

    @Override
    public ACC createAccumulator() {
        return job.createAccumulator();
    }

    @Override
    public ACC add(E entry, ACC accumulator) {
        return job.add(element.apply(entry), accumulator);
    }

    @Override
    public ACC getResult(ACC accumulator) {
        return accumulator;
    }

    @Override
    public ACC merge(ACC a, ACC b) {
        return job.merge(a, b);
    }
}
