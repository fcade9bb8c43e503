package io.webpipe.job;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.util.function.SerializableSupplier;

/** A window's incremental aggregation into a {@link Summary}: each element is folded in on arrival. */
public final class Summarize<T, S extends Summary<T, S>> implements AggregateFunction<T, S, S> {
    private static final long serialVersionUID = 1L;

    private final SerializableSupplier<S> empty;

    public Summarize(SerializableSupplier<S> empty) {
        this.empty = empty;
    }

    @Override
    public S createAccumulator() {
        return empty.get();
    }

    @Override
    public S add(T element, S summary) {
        return summary.add(element);
    }

    @Override
    public S getResult(S summary) {
        return summary;
    }

    @Override
    public S merge(S a, S b) {
        return a.merge(b);
    }
}
