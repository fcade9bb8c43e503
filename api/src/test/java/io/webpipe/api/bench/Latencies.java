package io.webpipe.api.bench;

import java.util.Arrays;

/**
 * Every latency of one kind of answer in a phase, kept whole (a minute at 500 requests/s is 30,000 longs),
 * so percentiles are exact: nearest rank over the sorted values, no histogram buckets.
 */
final class Latencies {
    private long[] nanos = new long[1024];
    private int count;

    synchronized void add(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = latencyNanos;
    }

    synchronized int count() {
        return count;
    }

    /** The {@code percent} percentile in milliseconds by nearest rank (the smallest value with at least that share at or below it); NaN when empty. */
    synchronized double percentileMs(double percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percent);
        }
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        // Less a hair: 99.9 % of 2,000 is 1998.0000000000002 in doubles, and its rank is 1998, not 1999.
        int rank = Math.max(1, (int) Math.ceil(percent / 100 * count - 1e-9));
        return sorted[rank - 1] / 1e6;
    }

    synchronized double maxMs() {
        return count == 0 ? Double.NaN : Arrays.stream(nanos, 0, count).max().getAsLong() / 1e6;
    }
}
