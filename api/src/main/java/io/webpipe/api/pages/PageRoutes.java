package io.webpipe.api.pages;

import io.webpipe.api.http.Json;
import io.webpipe.api.http.QueryParams;
import io.webpipe.api.search.Bots;
import io.webpipe.api.search.TimeRange;
import java.util.Set;
import spark.Service;

/** The page catalogue endpoints: {@code /api/pages/search} and {@code /api/pages/top}. */
public final class PageRoutes {
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_SEARCH_LIMIT = 50;
    static final int MAX_TOP_LIMIT = 100;

    private static final Set<String> SEARCH_PARAMETERS = Set.of("q", "mode", "limit");
    private static final Set<String> TOP_PARAMETERS = Set.of(TimeRange.FROM, TimeRange.TO, "limit", Bots.PARAMETER);

    private final PageSearch search;

    public PageRoutes(PageSearch search) {
        this.search = search;
    }

    public void register(Service http) {
        http.get("/api/pages/search", (req, res) -> {
            QueryParams p = QueryParams.of(req, SEARCH_PARAMETERS);
            TitleQuery.Mode mode = p.choice("mode", TitleQuery.Mode.byName(), TitleQuery.Mode.AUTO);
            int limit = p.integer("limit", DEFAULT_LIMIT, 1, MAX_SEARCH_LIMIT);
            return search.search(TitleQuery.of("q", p.text("q"), mode), limit);
        }, Json::write);

        http.get("/api/pages/top", (req, res) -> {
            QueryParams p = QueryParams.of(req, TOP_PARAMETERS);
            return search.top(TimeRange.of(p), p.integer("limit", DEFAULT_LIMIT, 1, MAX_TOP_LIMIT), Bots.of(p));
        }, Json::write);
    }
}
