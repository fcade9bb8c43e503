package io.webpipe.api.sessions;

import io.webpipe.api.http.QueryParams;
import io.webpipe.api.search.TimeRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.MatchNoneQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.RangeQueryBuilder;

/** The filters of {@code GET /api/sessions}; every value goes into a term or range builder, never into query text. */
public final class SessionFilter {
    public static final Set<String> PARAMETERS = Set.of("visitorId", "userId", TimeRange.FROM, TimeRange.TO,
            "minDurationMs", "bounce", "entryUrl", "utmSource", "page", "live", "engaged", "bot", "channel");

    /** The session field that time ranges filter on and lists sort by. */
    static final String START = "start";

    private static final int MAX_TERM_LENGTH = 2048;
    /** The boolean session fields a list filters on. */
    private static final List<String> FLAGS = List.of("bounce", "live", "engaged", "bot");

    private final String visitorId;
    private final String userId;
    private final TimeRange range;
    private final Long minDurationMs;
    /** The {@link #FLAGS} filtered on, by field name; an absent one matches both values. */
    private final Map<String, Boolean> flags;
    private final String channel;
    private final String entryUrl;
    private final String utmSource;
    /** A title query: sessions that viewed a page whose title matches it. */
    private final String page;
    /** The urls {@link #page} resolved to; null until resolved. */
    private final List<String> pageUrls;

    private SessionFilter(String visitorId, String userId, TimeRange range, Long minDurationMs,
            Map<String, Boolean> flags, String channel, String entryUrl, String utmSource, String page, List<String> pageUrls) {
        this.visitorId = visitorId;
        this.userId = userId;
        this.range = range;
        this.minDurationMs = minDurationMs;
        this.flags = flags;
        this.channel = channel;
        this.entryUrl = entryUrl;
        this.utmSource = utmSource;
        this.page = page;
        this.pageUrls = pageUrls;
    }

    public static SessionFilter of(QueryParams params) {
        return new SessionFilter(
                params.text("visitorId", MAX_TERM_LENGTH),
                params.text("userId", MAX_TERM_LENGTH),
                TimeRange.of(params),
                params.nonNegativeLong("minDurationMs"),
                flags(params),
                params.text("channel", MAX_TERM_LENGTH),
                params.text("entryUrl", MAX_TERM_LENGTH),
                params.text("utmSource", MAX_TERM_LENGTH),
                params.text("page"),
                null);
    }

    private static Map<String, Boolean> flags(QueryParams params) {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        for (String flag : FLAGS) {
            Boolean value = params.bool(flag);
            if (value != null) {
                flags.put(flag, value);
            }
        }
        return flags;
    }

    /** The same filter restricted to one visitor (the path of {@code /api/visitors/{visitorId}/sessions}). */
    public SessionFilter forVisitor(String visitor) {
        return new SessionFilter(visitor, userId, range, minDurationMs, flags, channel, entryUrl, utmSource, page, pageUrls);
    }

    /** The title query of the {@code page} filter, or null. */
    public String page() {
        return page;
    }

    /** The same filter with the {@code page} query resolved to page urls (sessions must have viewed one of them). */
    public SessionFilter withPageUrls(List<String> urls) {
        return new SessionFilter(visitorId, userId, range, minDurationMs, flags, channel, entryUrl, utmSource, page, List.copyOf(urls));
    }

    QueryBuilder toQuery() {
        BoolQueryBuilder query = QueryBuilders.boolQuery();
        term(query, "visitorId", visitorId);
        term(query, "userId", userId);
        term(query, "entryUrl", entryUrl);
        term(query, "utmSource", utmSource);
        term(query, "channel", channel);
        flags.forEach((field, value) -> query.filter(QueryBuilders.termQuery(field, value.booleanValue())));
        if (minDurationMs != null) {
            query.filter(QueryBuilders.rangeQuery("durationMs").gte(minDurationMs));
        }
        inRange(query, range);
        if (pageUrls != null) {
            query.filter(pageUrls.isEmpty() ? new MatchNoneQueryBuilder() : QueryBuilders.termsQuery("pages", pageUrls));
        }
        return query.hasClauses() ? query : QueryBuilders.matchAllQuery();
    }

    /** Adds "started in {@code range}" to {@code query}, unless the range is open. */
    static BoolQueryBuilder inRange(BoolQueryBuilder query, TimeRange range) {
        RangeQueryBuilder filter = range.filter(START);
        return filter == null ? query : query.filter(filter);
    }

    private static void term(BoolQueryBuilder query, String field, String value) {
        if (value != null) {
            query.filter(QueryBuilders.termQuery(field, value));
        }
    }
}
