package io.webpipe.api.sessions;

import io.webpipe.api.http.ApiException;
import io.webpipe.api.search.Bots;
import io.webpipe.api.search.ReadAlias;
import io.webpipe.api.search.TimeRange;
import io.webpipe.schema.SessionDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.Aggregations;
import org.elasticsearch.search.aggregations.bucket.filter.Filter;
import org.elasticsearch.search.aggregations.bucket.histogram.DateHistogramInterval;
import org.elasticsearch.search.aggregations.bucket.histogram.Histogram;
import org.elasticsearch.search.aggregations.bucket.histogram.LongBounds;
import org.elasticsearch.search.aggregations.bucket.terms.Terms;
import org.elasticsearch.search.aggregations.metrics.Avg;
import org.elasticsearch.search.aggregations.metrics.Cardinality;
import org.elasticsearch.search.aggregations.metrics.CardinalityAggregationBuilder;
import org.elasticsearch.search.aggregations.metrics.Sum;
import org.elasticsearch.search.builder.SearchSourceBuilder;

/** Aggregations over the sessions that started in a time range. */
public final class SessionStats {
    /** Distinct visitors are exact below this count (Elasticsearch cardinality), approximate above. */
    static final int VISITORS_PRECISION = 40_000;
    /** Most buckets one time series may have. */
    static final long MAX_BUCKETS = 10_000;

    private final ReadAlias index;

    public SessionStats(ReadAlias index) {
        this.index = index;
    }

    /** The chart intervals of {@code /api/stats/timeseries}. */
    public enum Interval {
        MINUTE(DateHistogramInterval.MINUTE, Duration.ofMinutes(1)),
        HOUR(DateHistogramInterval.HOUR, Duration.ofHours(1)),
        DAY(DateHistogramInterval.DAY, Duration.ofDays(1));

        final DateHistogramInterval histogram;
        final Duration length;

        Interval(DateHistogramInterval histogram, Duration length) {
            this.histogram = histogram;
            this.length = length;
        }

        /** The name used in requests and answers. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Map<String, Interval> byName() {
            Map<String, Interval> m = new LinkedHashMap<>();
            for (Interval i : values()) {
                m.put(i.label(), i);
            }
            return m;
        }
    }

    /** The session fields {@code /api/stats/top} can rank: what analysts group by. */
    public static final List<String> DIMENSIONS = List.of("channel", "landingPage", "exitPage", "referrerHost",
            "utmSource", "utmMedium", "utmCampaign", "browser", "os", "deviceType", "entryUrl", "exitUrl", "referrer");

    /** The headline figures of [from, to), with those of the range of equal length before it when {@code withPrevious}. */
    public Map<String, Object> overview(TimeRange range, Bots bots, boolean withPrevious) {
        Map<String, Object> body = figures(range, bots);
        if (withPrevious) {
            body.put("previous", figures(range.previous(), bots));
        }
        return body;
    }

    private Map<String, Object> figures(TimeRange range, Bots bots) {
        // Two searches at once, as one search runs on one thread: distinct visitors cost about as much as the other
        // figures together (a month of a million sessions: 39-51 ms against 60-70 ms). The figures that are divided
        // by each other come from one search, so they always agree.
        SearchSourceBuilder visitors = new SearchSourceBuilder()
                .query(sessionsIn(range, bots))
                .size(0)
                .trackTotalHits(false)
                .aggregation(visitors());
        SearchSourceBuilder rest = new SearchSourceBuilder()
                .query(sessionsIn(range, bots))
                .size(0)
                .trackTotalHits(true)
                .aggregation(AggregationBuilders.sum("pageViews").field("pageViews"))
                .aggregation(AggregationBuilders.avg("duration").field("durationMs"))
                .aggregation(AggregationBuilders.filter("bounces", QueryBuilders.termQuery("bounce", true)))
                .aggregation(AggregationBuilders.filter("engaged", QueryBuilders.termQuery("engaged", true)));
        List<SearchResponse> responses = index.searchAll(List.of(visitors, rest));
        long sessions = responses.get(1).getHits().getTotalHits().value;
        Aggregations aggs = responses.get(1).getAggregations();
        long pageViews = (long) ((Sum) aggs.get("pageViews")).getValue();
        long bounces = ((Filter) aggs.get("bounces")).getDocCount();
        long engaged = ((Filter) aggs.get("engaged")).getDocCount();

        Map<String, Object> body = rangeOf(range);
        body.put("sessions", sessions);
        body.put("visitors", visitorCount(responses.get(0).getAggregations()));
        body.put("pageViews", pageViews);
        body.put("avgDurationMs", sessions == 0 ? 0.0 : ((Avg) aggs.get("duration")).getValue());
        body.put("bounceRate", ratio(bounces, sessions));
        body.put("engagedSessions", engaged);
        body.put("engagedRate", ratio(engaged, sessions));
        body.put("pagesPerSession", ratio(pageViews, sessions));
        return body;
    }

    /** Buckets from {@code from} to {@code to}, empty ones included. Both ends are required here. */
    public Map<String, Object> timeseries(TimeRange range, Interval interval, Bots bots) {
        // Both ends lie in years 0000-9999 (QueryParams.instant), so the difference cannot overflow.
        long buckets = (range.to() - range.from()) / interval.length.toMillis();
        if (buckets > MAX_BUCKETS) {
            throw ApiException.invalid("interval", "the range from 'from' to 'to' holds " + buckets + " " + interval.label()
                    + " buckets, more than " + MAX_BUCKETS + "; choose a larger interval or a shorter range");
        }
        SearchSourceBuilder source = new SearchSourceBuilder()
                .query(sessionsIn(range, bots))
                .size(0)
                .aggregation(AggregationBuilders.dateHistogram("buckets")
                        .field(SessionFilter.START)
                        .calendarInterval(interval.histogram)
                        .minDocCount(0)
                        .extendedBounds(new LongBounds(range.from(), range.to() - 1))
                        .subAggregation(visitors())
                        .subAggregation(AggregationBuilders.sum("pageViews").field("pageViews")));
        Histogram histogram = index.search(source).getAggregations().get("buckets");
        List<Map<String, Object>> points = new ArrayList<>();
        for (Histogram.Bucket b : histogram.getBuckets()) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("time", ((java.time.ZonedDateTime) b.getKey()).toInstant().toString());
            point.put("sessions", b.getDocCount());
            point.put("visitors", visitorCount(b.getAggregations()));
            point.put("pageViews", (long) ((Sum) b.getAggregations().get("pageViews")).getValue());
            points.add(point);
        }
        Map<String, Object> body = rangeOf(range);
        body.put("interval", interval.label());
        body.put("buckets", points);
        return body;
    }

    public Map<String, Object> top(TimeRange range, String dimension, int limit, Bots bots) {
        SearchSourceBuilder source = new SearchSourceBuilder()
                .query(sessionsIn(range, bots))
                .size(0)
                .aggregation(AggregationBuilders.terms("top").field(dimension).size(limit).subAggregation(visitors()));
        Terms terms = index.search(source).getAggregations().get("top");
        List<Map<String, Object>> items = new ArrayList<>();
        for (Terms.Bucket b : terms.getBuckets()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("value", b.getKeyAsString());
            item.put("sessions", b.getDocCount());
            item.put("visitors", visitorCount(b.getAggregations()));
            items.add(item);
        }
        Map<String, Object> body = rangeOf(range);
        body.put("dimension", dimension);
        body.put("items", items);
        body.put("otherSessions", terms.getSumOfOtherDocCounts());
        return body;
    }

    /** The sessions that started in {@code range}, bots left out unless included. */
    private static BoolQueryBuilder sessionsIn(TimeRange range, Bots bots) {
        return bots.restrict(SessionFilter.inRange(QueryBuilders.boolQuery(), range));
    }

    /**
     * Distinct visitors (the aggregation "visitors"), exact below {@link #VISITORS_PRECISION}: counted on the job's
     * numeric {@link SessionDocument#visitorHash()}, a third of the cost of counting the {@code visitorId} keyword.
     */
    public static CardinalityAggregationBuilder visitors() {
        return AggregationBuilders.cardinality("visitors").field(SessionDocument.VISITOR_HASH).precisionThreshold(VISITORS_PRECISION);
    }

    /** The count of {@link #visitors()} in {@code aggs}. */
    public static long visitorCount(Aggregations aggs) {
        return ((Cardinality) aggs.get("visitors")).getValue();
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0.0 : (double) part / whole;
    }

    private static Map<String, Object> rangeOf(TimeRange range) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", TimeRange.iso(range.from()));
        body.put("to", TimeRange.iso(range.to()));
        return body;
    }
}
