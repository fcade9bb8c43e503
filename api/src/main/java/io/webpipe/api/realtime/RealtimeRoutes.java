package io.webpipe.api.realtime;

import io.webpipe.api.http.Json;
import io.webpipe.api.http.QueryParams;
import io.webpipe.api.search.Bots;
import java.util.Set;
import spark.Service;

/** {@code GET /api/realtime}: the site right now. */
public final class RealtimeRoutes {
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;
    private static final Set<String> PARAMETERS = Set.of(Bots.PARAMETER, "limit");

    private final RealtimeStats stats;

    public RealtimeRoutes(RealtimeStats stats) {
        this.stats = stats;
    }

    public void register(Service http) {
        http.get("/api/realtime", (req, res) -> {
            QueryParams p = QueryParams.of(req, PARAMETERS);
            return stats.now(Bots.of(p), p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
        }, Json::write);
    }
}
