package io.webpipe.job.bench;

import java.util.List;
import java.util.Map;

/**
 * The rounds one process ran over the same records, each with where its CPU time went by thread. The figure is the
 * {@link #measured} round: the cheapest of the last {@link #MEASURED} rounds, every contender alike. Warm rounds
 * still differ: the JIT compiler is not done after three 300,000-event rounds (a third of a heap round's CPU, a
 * quarter after eight), and other processes on the two shared cores add cache and memory traffic, never take it
 * away; a single round swung by a quarter against the one before it.
 */
record Rounds(List<CpuSample.Span> spans, List<Map<String, Double>> threads, String process) {
    /** How many of the last rounds the measured one is chosen from. */
    static final int MEASURED = 3;

    Rounds {
        if (spans.size() != threads.size() || spans.isEmpty()) {
            throw new IllegalArgumentException(spans.size() + " rounds, " + threads.size() + " thread breakdowns");
        }
    }

    /** The index of the measured round: the least CPU among the last {@link #MEASURED}, never the cold first. */
    int measuredIndex() {
        int from = Math.max(spans.size() > 1 ? 1 : 0, spans.size() - MEASURED);
        int best = from;
        for (int i = from + 1; i < spans.size(); i++) {
            if (cpu(i) < cpu(best)) {
                best = i;
            }
        }
        return best;
    }

    CpuSample.Span measured() {
        return spans.get(measuredIndex());
    }

    double cpu(int round) {
        return spans.get(round).cpu(process);
    }

    /** CPU-s of the threads the measured round started (or ended): its own work, not the JVM's. */
    double ownThreadsCpu() {
        return threadsOfMeasured().getOrDefault(ThreadBreakdown.STARTED_OR_ENDED, Double.NaN);
    }

    Map<String, Double> threadsOfMeasured() {
        return threads.get(measuredIndex());
    }
}
