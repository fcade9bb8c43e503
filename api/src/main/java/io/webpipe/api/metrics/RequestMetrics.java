package io.webpipe.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import spark.Request;
import spark.Response;
import spark.routematch.RouteMatch;

/**
 * {@code http_server_requests_seconds}: every answered request by {@code method}, {@code route} (the
 * pattern, see {@link RouteTemplates}) and {@code status}, as a histogram with fixed buckets from 5 ms to
 * 10 s, so that the label values and the series stay bounded whatever clients send.
 */
public final class RequestMetrics {
    static final String REQUESTS = "http.server.requests";
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private volatile RouteTemplates routes = new RouteTemplates(List.of());

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Called once every route is registered: until then every request counts as {@link RouteTemplates#UNMATCHED}. */
    public void routesRegistered(List<RouteMatch> registered) {
        routes = new RouteTemplates(registered);
    }

    public void record(Request req, Response res, long elapsedNanos) {
        Timer.builder(REQUESTS)
                .description("HTTP requests by method, route pattern and status")
                .tag("method", RouteTemplates.method(req.requestMethod()))
                .tag("route", routes.of(req.requestMethod(), req.uri()))
                .tag("status", Integer.toString(res.raw().getStatus()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
    }
}
