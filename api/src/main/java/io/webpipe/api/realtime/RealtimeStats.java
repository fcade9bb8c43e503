package io.webpipe.api.realtime;

import io.webpipe.api.http.Json;
import io.webpipe.api.search.Bots;
import io.webpipe.api.search.ReadAlias;
import io.webpipe.api.sessions.SessionStats;
import io.webpipe.schema.PageDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.Aggregations;
import org.elasticsearch.search.aggregations.bucket.filter.Filter;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.sort.SortOrder;

/**
 * What happens on the site right now, by the clock given: current visitors and live sessions from the sessions
 * (live documents are written while the session runs), page views per minute and the top pages from the
 * catalogue's {@code recentViews} (kept current by the job while the minute runs).
 */
public final class RealtimeStats {
    /** A visitor whose session's last event is this recent is a current visitor (Plausible, Umami: 5 minutes). */
    static final Duration CURRENT = Duration.ofMinutes(5);
    /** The minutes of the per-minute series: all the catalogue keeps. */
    static final int MINUTES = PageDocument.RECENT_MINUTES;
    /** Most pages read for the series (the most recently seen first): Elasticsearch's default result window. */
    static final int MAX_PAGES = 10_000;

    private final ReadAlias sessions;
    private final ReadAlias pages;
    private final Clock clock;

    public RealtimeStats(ReadAlias sessions, ReadAlias pages, Clock clock) {
        this.sessions = sessions;
        this.pages = pages;
        this.clock = clock;
    }

    public Map<String, Object> now(Bots bots, int topLimit) {
        Instant now = clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", now.toString());
        body.putAll(sessionFigures(now, bots));
        Instant firstMinute = now.truncatedTo(ChronoUnit.MINUTES).minus(MINUTES - 1, ChronoUnit.MINUTES);
        List<PageDocument> recent = recentPages(firstMinute);
        List<Map<String, Object>> perMinute = perMinute(recent, firstMinute);
        body.put("pageViews", perMinute.stream().mapToLong(m -> (long) m.get("views")).sum());
        body.put("pageViewsPerMinute", perMinute);
        body.put("topPages", topPages(recent, now.truncatedTo(ChronoUnit.MINUTES).minus(CURRENT).plus(1, ChronoUnit.MINUTES), topLimit));
        return body;
    }

    private Map<String, Object> sessionFigures(Instant now, Bots bots) {
        var recentEnd = QueryBuilders.rangeQuery("end").format("epoch_millis").gte(now.minus(CURRENT).toEpochMilli());
        var live = QueryBuilders.termQuery("live", true);
        SearchSourceBuilder source = new SearchSourceBuilder().size(0)
                .query(bots.restrict(QueryBuilders.boolQuery().should(recentEnd).should(live).minimumShouldMatch(1)))
                .aggregation(AggregationBuilders.filter("current", recentEnd).subAggregation(SessionStats.visitors()))
                .aggregation(AggregationBuilders.filter("live", live));
        Aggregations aggs = sessions.search(source).getAggregations();
        Filter current = aggs.get("current");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("currentVisitors", SessionStats.visitorCount(current.getAggregations()));
        figures.put("liveSessions", ((Filter) aggs.get("live")).getDocCount());
        return figures;
    }

    /** The pages seen since {@code firstMinute}, most recently seen first. */
    private List<PageDocument> recentPages(Instant firstMinute) {
        SearchSourceBuilder source = new SearchSourceBuilder().size(MAX_PAGES).trackTotalHits(false)
                .query(QueryBuilders.rangeQuery("lastSeen").format("epoch_millis").gte(firstMinute.toEpochMilli()))
                .fetchSource(new String[] {"pageId", "url", "pageTitle", "recentViews"}, null)
                .sort("lastSeen", SortOrder.DESC);
        List<PageDocument> recent = new ArrayList<>();
        for (SearchHit hit : pages.search(source).getHits().getHits()) {
            try {
                recent.add(Json.MAPPER.readValue(hit.getSourceRef().streamInput(), PageDocument.class));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable page document " + hit.getId(), e);
            }
        }
        return recent;
    }

    /** Views per minute from {@code firstMinute} to the current one, oldest first, empty minutes included. */
    private static List<Map<String, Object>> perMinute(List<PageDocument> recent, Instant firstMinute) {
        Map<Instant, Long> views = new LinkedHashMap<>();
        for (int i = 0; i < MINUTES; i++) {
            views.put(firstMinute.plus(i, ChronoUnit.MINUTES), 0L);
        }
        for (PageDocument page : recent) {
            for (PageDocument.MinuteViews m : page.recentViews) {
                views.computeIfPresent(minute(m), (k, v) -> v + m.views);
            }
        }
        List<Map<String, Object>> series = new ArrayList<>();
        views.forEach((minute, count) -> {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("minute", minute.toString());
            point.put("views", count);
            series.add(point);
        });
        return series;
    }

    /** The pages with the most views in the minutes from {@code since} on, most first (ties by url). */
    private static List<Map<String, Object>> topPages(List<PageDocument> recent, Instant since, int limit) {
        List<Map<String, Object>> top = new ArrayList<>();
        for (PageDocument page : recent) {
            long views = page.recentViews.stream().filter(m -> !minute(m).isBefore(since)).mapToLong(m -> m.views).sum();
            if (views > 0) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("pageId", page.pageId);
                item.put("url", page.url);
                item.put("pageTitle", page.pageTitle);
                item.put("views", views);
                top.add(item);
            }
        }
        top.sort(Comparator.comparingLong((Map<String, Object> p) -> -(long) p.get("views"))
                .thenComparing(p -> String.valueOf(p.get("url"))));
        return top.subList(0, Math.min(limit, top.size()));
    }

    private static Instant minute(PageDocument.MinuteViews m) {
        return Instant.parse(m.minute).truncatedTo(ChronoUnit.MINUTES);
    }
}
