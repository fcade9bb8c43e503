package io.webpipe.api.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.HttpChannel;
import spark.Request;

/**
 * Counts requests in progress so a stop can let them finish (a collector request in flight
 * still gets its Kafka acknowledgement and answer); once draining, new requests get a 503.
 * A request counts until Jetty has completed it, its answer written, not merely until its route
 * returned (Spark's last filters run before the body is written): {@link #COMPLETION}, a listener
 * on every connector ({@link JsonJetty}), ends the count.
 */
public final class InFlight {
    private static final String COUNTED = "webpipe.inflight";

    /** Ends the count of a request once Jetty has completed it. */
    static final HttpChannel.Listener COMPLETION = new HttpChannel.Listener() {
        @Override
        public void onComplete(org.eclipse.jetty.server.Request request) {
            if (request.getAttribute(COUNTED) instanceof InFlight counter) {
                request.removeAttribute(COUNTED);
                counter.count.decrementAndGet();
            }
        }
    };

    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean draining;

    public void enter(Request req) {
        if (draining) {
            throw ApiException.unavailable("the service is shutting down");
        }
        count.incrementAndGet();
        req.attribute(COUNTED, this);
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
