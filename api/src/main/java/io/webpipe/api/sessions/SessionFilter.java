package io.webpipe.api.sessions;

import io.webpipe.api.http.QueryParams;
import java.util.Set;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;

/** The filters of {@code GET /api/sessions}; every value goes into a term or range builder, never into query text. */
public final class SessionFilter {
    public static final Set<String> PARAMETERS = Set.of("visitorId", "userId", TimeRange.FROM, TimeRange.TO,
            "minDurationMs", "bounce", "entryUrl", "utmSource");

    private static final int MAX_TERM_LENGTH = 2048;

    private final String visitorId;
    private final String userId;
    private final TimeRange range;
    private final Long minDurationMs;
    private final Boolean bounce;
    private final String entryUrl;
    private final String utmSource;

    private SessionFilter(String visitorId, String userId, TimeRange range, Long minDurationMs, Boolean bounce,
            String entryUrl, String utmSource) {
        this.visitorId = visitorId;
        this.userId = userId;
        this.range = range;
        this.minDurationMs = minDurationMs;
        this.bounce = bounce;
        this.entryUrl = entryUrl;
        this.utmSource = utmSource;
    }

    public static SessionFilter of(QueryParams params) {
        return new SessionFilter(
                params.text("visitorId", MAX_TERM_LENGTH),
                params.text("userId", MAX_TERM_LENGTH),
                TimeRange.of(params),
                params.nonNegativeLong("minDurationMs"),
                params.bool("bounce"),
                params.text("entryUrl", MAX_TERM_LENGTH),
                params.text("utmSource", MAX_TERM_LENGTH));
    }

    /** The same filter restricted to one visitor (the path of {@code /api/visitors/{visitorId}/sessions}). */
    public SessionFilter forVisitor(String visitor) {
        return new SessionFilter(visitor, userId, range, minDurationMs, bounce, entryUrl, utmSource);
    }

    QueryBuilder toQuery() {
        BoolQueryBuilder query = QueryBuilders.boolQuery();
        term(query, "visitorId", visitorId);
        term(query, "userId", userId);
        term(query, "entryUrl", entryUrl);
        term(query, "utmSource", utmSource);
        if (bounce != null) {
            query.filter(QueryBuilders.termQuery("bounce", bounce.booleanValue()));
        }
        if (minDurationMs != null) {
            query.filter(QueryBuilders.rangeQuery("durationMs").gte(minDurationMs));
        }
        if (range.filter() != null) {
            query.filter(range.filter());
        }
        return query.hasClauses() ? query : QueryBuilders.matchAllQuery();
    }

    private static void term(BoolQueryBuilder query, String field, String value) {
        if (value != null) {
            query.filter(QueryBuilders.termQuery(field, value));
        }
    }
}
