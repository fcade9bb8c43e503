package io.webpipe.api.collect;

import java.util.List;
import java.util.Set;
import spark.Request;
import spark.Response;

/**
 * CORS for the collector. Browsers send the tracker's beacons as simple requests; a site that
 * posts JSON with {@code fetch} from another origin needs that origin listed (or {@code *}).
 */
public final class CorsPolicy {
    private final Set<String> origins;
    private final boolean anyOrigin;

    public CorsPolicy(List<String> origins) {
        this.anyOrigin = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    /** Adds the CORS headers to an answer when the request's Origin is allowed. */
    public void allow(Request req, Response res) {
        String origin = req.headers("Origin");
        res.header("Vary", "Origin");
        if (origin == null) {
            return;
        }
        // No credentials are ever allowed: the collector needs no cookies, so "*" can stay "*".
        if (anyOrigin) {
            res.header("Access-Control-Allow-Origin", "*");
        } else if (origins.contains(origin)) {
            res.header("Access-Control-Allow-Origin", origin);
        }
    }

    public void preflight(Request req, Response res) {
        allow(req, res);
        res.header("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
        res.header("Access-Control-Allow-Headers", "Content-Type");
        res.header("Access-Control-Max-Age", "600");
    }
}
