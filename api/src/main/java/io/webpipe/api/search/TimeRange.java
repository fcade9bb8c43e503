package io.webpipe.api.search;

import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.QueryParams;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.RangeQueryBuilder;

/** The {@code from}/{@code to} parameters of the session and page endpoints: [from, to), both ends optional, epoch milliseconds. */
public final class TimeRange {
    public static final String FROM = "from";
    public static final String TO = "to";
    public static final Set<String> PARAMETERS = Set.of(FROM, TO);

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

    /**
     * A range with both ends, for a time series: 'to' defaults to now and 'from' to
     * {@code defaultLength} before 'to' (never before {@link QueryParams#EARLIEST}).
     */
    public static TimeRange closed(QueryParams params, Duration defaultLength) {
        Long to = params.instant(TO);
        Long from = params.instant(FROM);
        if (to == null) {
            to = from == null ? System.currentTimeMillis() : Math.max(System.currentTimeMillis(), from + 1);
        }
        if (from == null) {
            from = Math.max(QueryParams.EARLIEST.toEpochMilli(), to - defaultLength.toMillis());
        }
        return new TimeRange(from, to);
    }

    /**
     * The range of equal length that ends where this one starts (for comparisons), clamped to
     * {@link QueryParams#EARLIEST}. Both ends must be set: the caller checks that.
     */
    public TimeRange previous() {
        long earliest = QueryParams.EARLIEST.toEpochMilli();
        if (from == earliest) {
            throw ApiException.invalid(FROM, "there is no range before " + QueryParams.EARLIEST + " to compare with");
        }
        return new TimeRange(Math.max(earliest, from - (to - from)), from);
    }

    public boolean isClosed() {
        return from != null && to != null;
    }

    public Long from() {
        return from;
    }

    public Long to() {
        return to;
    }

    /** The filter "{@code field} in [from, to)", or null when the range is open on both ends. */
    public RangeQueryBuilder filter(String field) {
        if (from == null && to == null) {
            return null;
        }
        RangeQueryBuilder range = QueryBuilders.rangeQuery(field).format("epoch_millis");
        if (from != null) {
            range.gte(from);
        }
        if (to != null) {
            range.lt(to);
        }
        return range;
    }

    /** An end as ISO-8601 for an answer, null when open. */
    public static String iso(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
