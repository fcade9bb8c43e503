package io.webpipe.api.bench;

import java.util.Map;
import java.util.TreeMap;

/** What one phase of requests got: latencies of the 200s and of the 404s apart, every other answer or failure counted. */
final class Outcomes {
    final Latencies found = new Latencies();
    final Latencies notFound = new Latencies();
    private final Map<String, Integer> errors = new TreeMap<>();
    private long sent;
    private double seconds;
    private long maxSendLagNanos;

    /** An answer with {@code status}, {@code latencyNanos} after the request was due to leave. */
    void answered(long latencyNanos, int status) {
        if (status == 200) {
            found.add(latencyNanos);
        } else if (status == 404) {
            notFound.add(latencyNanos);
        } else {
            error("HTTP " + status);
        }
    }

    /** No answer: refused connection, timeout, ... */
    void failed(Throwable failure) {
        error(failure.getClass().getSimpleName());
    }

    synchronized void sent(long count, double seconds, long maxSendLagNanos) {
        this.sent = count;
        this.seconds = seconds;
        this.maxSendLagNanos = maxSendLagNanos;
    }

    private synchronized void error(String kind) {
        errors.merge(kind, 1, Integer::sum);
    }

    synchronized int errorCount() {
        return errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Error kinds and how often, e.g. {@code {HTTP 503=2, HttpTimeoutException=1}}. */
    synchronized Map<String, Integer> errors() {
        return new TreeMap<>(errors);
    }

    /** Requests sent per second over the phase, as the schedule let them leave. */
    synchronized double sentPerSecond() {
        return sent / seconds;
    }

    synchronized long sent() {
        return sent;
    }

    /** The latest any request left after its intended time: the generator's own stalls, charged to the latencies all the same. */
    synchronized double maxSendLagMs() {
        return maxSendLagNanos / 1e6;
    }
}
