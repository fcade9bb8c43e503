package io.webpipe.api.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import spark.Request;

/**
 * Counts requests in progress so a stop can let them finish (a collector request in flight
 * still gets its Kafka acknowledgement and answer); once draining, new requests get a 503.
 */
public final class InFlight {
    private static final String COUNTED = "webpipe.inflight";
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean draining;

    public void enter(Request req) {
        if (draining) {
            throw ApiException.unavailable("the service is shutting down");
        }
        count.incrementAndGet();
        req.attribute(COUNTED, Boolean.TRUE);
    }

    public void exit(Request req) {
        if (req.attribute(COUNTED) != null) {
            req.raw().removeAttribute(COUNTED);
            count.decrementAndGet();
        }
    }

    /** Refuses new requests and waits up to {@code timeout} for the ones in flight; true when all finished. */
    public boolean drain(Duration timeout) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return count.get() == 0;
    }
}
