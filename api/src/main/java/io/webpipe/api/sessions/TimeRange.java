package io.webpipe.api.sessions;

import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.QueryParams;
import java.time.Instant;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.RangeQueryBuilder;

/** Sessions that started in [from, to): both ends optional, epoch milliseconds. */
public final class TimeRange {
    public static final String FROM = "from";
    public static final String TO = "to";

    private final Long from;
    private final Long to;

    public TimeRange(Long from, Long to) {
        if (from != null && to != null && from >= to) {
            throw ApiException.invalid(TO, "'to' must be after 'from'");
        }
        this.from = from;
        this.to = to;
    }

    public static TimeRange of(QueryParams params) {
        return new TimeRange(params.instant(FROM), params.instant(TO));
    }

    public Long from() {
        return from;
    }

    public Long to() {
        return to;
    }

    /** The range filter on the session start, or null when the range is open on both ends. */
    RangeQueryBuilder filter() {
        if (from == null && to == null) {
            return null;
        }
        RangeQueryBuilder range = QueryBuilders.rangeQuery("start").format("epoch_millis");
        if (from != null) {
            range.gte(from);
        }
        if (to != null) {
            range.lt(to);
        }
        return range;
    }

    static String iso(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
