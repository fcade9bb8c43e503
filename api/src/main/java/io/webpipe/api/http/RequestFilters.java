package io.webpipe.api.http;

import spark.Service;

/**
 * What every request passes through around its route: the access log, the in-flight count that
 * lets a stop finish the requests it has (and refuse new ones), JSON as the answer type unless the
 * route says otherwise, and the API keys on {@code /api/*}. Registered before any route, so these
 * filters run before the routes' own.
 */
public final class RequestFilters {
    private final AccessLog accessLog;
    private final InFlight inFlight;
    private final ApiKeys apiKeys;

    public RequestFilters(AccessLog accessLog, InFlight inFlight, ApiKeys apiKeys) {
        this.accessLog = accessLog;
        this.inFlight = inFlight;
        this.apiKeys = apiKeys;
    }

    public void register(Service http) {
        http.before((req, res) -> {
            accessLog.start(req);
            res.type(Json.CONTENT_TYPE);
            inFlight.enter(req);
        });
        http.before("/api/*", (req, res) -> apiKeys.check(req));
        http.afterAfter((req, res) -> {
            inFlight.exit(req);
            accessLog.finish(req, res);
        });
    }
}
