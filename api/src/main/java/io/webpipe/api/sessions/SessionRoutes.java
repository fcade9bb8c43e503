package io.webpipe.api.sessions;

import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.Json;
import io.webpipe.api.http.QueryParams;
import io.webpipe.api.pages.PageSearch;
import io.webpipe.api.pages.TitleQuery;
import io.webpipe.api.search.Bots;
import io.webpipe.api.search.TimeRange;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import spark.Service;

/** The analyst endpoints under {@code /api}: session lists, single sessions and statistics. */
public final class SessionRoutes {
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;
    static final int DEFAULT_TOP_LIMIT = 10;
    static final int MAX_TOP_LIMIT = 100;
    /** The range of a time series when the request leaves it open. */
    static final Duration DEFAULT_SERIES_RANGE = Duration.ofDays(1);
    /** {@code compare=previous} adds the figures of the range of equal length before [from, to). */
    private static final String COMPARE = "compare";

    private static final Set<String> LIST_PARAMETERS = union(SessionFilter.PARAMETERS, Set.of("size", Cursor.PARAMETER));
    private static final Set<String> VISITOR_PARAMETERS = without(LIST_PARAMETERS, "visitorId");
    /** Every statistic takes a range and whether to count bots. */
    private static final Set<String> STATS_PARAMETERS = union(TimeRange.PARAMETERS, Set.of(Bots.PARAMETER));
    private static final Set<String> OVERVIEW_PARAMETERS = union(STATS_PARAMETERS, Set.of(COMPARE));
    private static final Set<String> SERIES_PARAMETERS = union(STATS_PARAMETERS, Set.of("interval"));
    private static final Set<String> TOP_PARAMETERS = union(STATS_PARAMETERS, Set.of("dimension", "limit"));
    private static final Map<String, String> DIMENSIONS = new LinkedHashMap<>();

    static {
        SessionStats.DIMENSIONS.forEach(d -> DIMENSIONS.put(d, d));
    }

    private final SessionSearch search;
    private final SessionStats stats;
    private final PageSearch pages;

    public SessionRoutes(SessionSearch search, SessionStats stats, PageSearch pages) {
        this.search = search;
        this.stats = stats;
        this.pages = pages;
    }

    public void register(Service http) {
        http.get("/api/sessions", (req, res) -> {
            QueryParams p = QueryParams.of(req, LIST_PARAMETERS);
            return search.list(withPages(SessionFilter.of(p)), pageSize(p), p.text(Cursor.PARAMETER));
        }, Json::write);

        http.get("/api/sessions/:sessionId", (req, res) -> {
            QueryParams.of(req, Set.of());
            return search.get(req.params("sessionId"));
        }, Json::write);

        http.get("/api/visitors/:visitorId/sessions", (req, res) -> {
            QueryParams p = QueryParams.of(req, VISITOR_PARAMETERS);
            SessionFilter filter = withPages(SessionFilter.of(p).forVisitor(req.params("visitorId")));
            return search.list(filter, pageSize(p), p.text(Cursor.PARAMETER));
        }, Json::write);

        http.get("/api/stats/overview", (req, res) -> {
            QueryParams p = QueryParams.of(req, OVERVIEW_PARAMETERS);
            TimeRange range = TimeRange.of(p);
            boolean withPrevious = p.choice(COMPARE, Map.of("previous", true), false);
            if (withPrevious && !range.isClosed()) {
                throw ApiException.invalid(COMPARE, "'compare=previous' needs both 'from' and 'to'");
            }
            return stats.overview(range, Bots.of(p), withPrevious);
        }, Json::write);

        http.get("/api/stats/timeseries", (req, res) -> {
            QueryParams p = QueryParams.of(req, SERIES_PARAMETERS);
            SessionStats.Interval interval = p.choice("interval", SessionStats.Interval.byName(), SessionStats.Interval.HOUR);
            return stats.timeseries(TimeRange.closed(p, DEFAULT_SERIES_RANGE), interval, Bots.of(p));
        }, Json::write);

        http.get("/api/stats/top", (req, res) -> {
            QueryParams p = QueryParams.of(req, TOP_PARAMETERS);
            String dimension = p.choice("dimension", DIMENSIONS, null);
            if (dimension == null) {
                throw ApiException.invalid("dimension", "'dimension' is required: one of " + DIMENSIONS.keySet());
            }
            return stats.top(TimeRange.of(p), dimension, p.integer("limit", DEFAULT_TOP_LIMIT, 1, MAX_TOP_LIMIT), Bots.of(p));
        }, Json::write);
    }

    /** Resolves the {@code page} title query to the urls of the best-matching pages (at most {@link PageSearch#MAX_FILTER_PAGES}). */
    private SessionFilter withPages(SessionFilter filter) {
        if (filter.page() == null) {
            return filter;
        }
        return filter.withPageUrls(pages.matchingUrls(TitleQuery.of("page", filter.page(), TitleQuery.Mode.AUTO)));
    }

    private static int pageSize(QueryParams p) {
        return p.integer("size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    private static Set<String> without(Set<String> a, String name) {
        Set<String> u = new HashSet<>(a);
        u.remove(name);
        return Set.copyOf(u);
    }
}
