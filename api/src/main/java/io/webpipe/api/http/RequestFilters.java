package io.webpipe.api.http;

import io.webpipe.api.metrics.RequestMetrics;
import spark.Request;
import spark.Service;

/**
 * What every request passes through around its route: the access log and the request metrics, the
 * in-flight count that lets a stop finish the requests it has (and refuse new ones), JSON as the answer
 * type unless the route says otherwise, and the API keys on {@code /api/*} and {@code /metrics}.
 * Registered before any route, so these filters run before the routes' own.
 */
public final class RequestFilters {
    private static final String STARTED = "webpipe.started";

    private final AccessLog accessLog;
    private final RequestMetrics metrics;
    private final InFlight inFlight;
    private final ApiKeys apiKeys;

    public RequestFilters(AccessLog accessLog, RequestMetrics metrics, InFlight inFlight, ApiKeys apiKeys) {
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.apiKeys = apiKeys;
    }

    public void register(Service http) {
        http.before((req, res) -> {
            req.attribute(STARTED, System.nanoTime());
            res.type(Json.CONTENT_TYPE);
            inFlight.enter(req);
        });
        http.before("/api/*", (req, res) -> apiKeys.check(req));
        http.before("/metrics", (req, res) -> apiKeys.check(req));
        http.afterAfter((req, res) -> {
            long elapsedNanos = elapsedNanos(req);
            accessLog.finish(req, res, elapsedNanos);
            if (elapsedNanos >= 0) {
                metrics.record(req, res, elapsedNanos);
            }
        });
    }

    /** Since the first filter saw the request; -1 when it never did. */
    private static long elapsedNanos(Request req) {
        Long started = req.attribute(STARTED);
        return started == null ? -1 : System.nanoTime() - started;
    }
}
