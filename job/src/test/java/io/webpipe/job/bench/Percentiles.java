package io.webpipe.job.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of a few measurements (the smallest value with at least q of all at or below it). */
final class Percentiles {
    private final List<Double> sorted;

    Percentiles(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        sorted = new ArrayList<>(values);
        Collections.sort(sorted);
    }

    double at(double quantile) {
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    double max() {
        return sorted.get(sorted.size() - 1);
    }
}
