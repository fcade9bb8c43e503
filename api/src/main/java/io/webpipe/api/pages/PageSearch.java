package io.webpipe.api.pages;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.webpipe.api.http.Json;
import io.webpipe.api.search.Bots;
import io.webpipe.api.search.ReadAlias;
import io.webpipe.api.search.TimeRange;
import io.webpipe.schema.PageDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.script.Script;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.sort.ScriptSortBuilder;
import org.elasticsearch.search.sort.SortBuilders;
import org.elasticsearch.search.sort.SortOrder;

/** Title search and top pages over the page catalogue (read alias {@code web-pages}). */
public final class PageSearch {
    /** How many of the best-matching pages a {@code page} filter on sessions uses. */
    public static final int MAX_FILTER_PAGES = 100;

    /** views + botViews of a page; documents written before botViews existed have none. */
    private static final Script VIEWS_WITH_BOTS = new Script(
            "(doc['views'].size() == 0 ? 0 : doc['views'].value) + (doc['botViews'].size() == 0 ? 0 : doc['botViews'].value)");

    private final ReadAlias index;

    public PageSearch(ReadAlias index) {
        this.index = index;
    }

    /** Matching pages, best first; equal scores by views. */
    public Map<String, Object> search(TitleQuery query, int limit) {
        List<PageHit> pages = hits(ranked(query).size(limit), true);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("query", query.text());
        answer.put("mode", query.mode().label());
        answer.put("count", pages.size());
        answer.put("pages", pages);
        return answer;
    }

    /**
     * Pages seen in [from, to) (last seen at or after from, first seen before to), by views (all-time totals of the
     * catalogue); with bots included, {@code views} also counts {@code botViews}.
     */
    public Map<String, Object> top(TimeRange range, int limit, Bots bots) {
        BoolQueryBuilder seen = QueryBuilders.boolQuery();
        if (range.from() != null) {
            seen.filter(QueryBuilders.rangeQuery("lastSeen").format("epoch_millis").gte(range.from()));
        }
        if (range.to() != null) {
            seen.filter(QueryBuilders.rangeQuery("firstSeen").format("epoch_millis").lt(range.to()));
        }
        SearchSourceBuilder source = new SearchSourceBuilder().query(seen).size(limit)
                .sort(bots.included() ? SortBuilders.scriptSort(VIEWS_WITH_BOTS, ScriptSortBuilder.ScriptSortType.NUMBER).order(SortOrder.DESC)
                        : SortBuilders.fieldSort("views").order(SortOrder.DESC))
                .sort("url", SortOrder.ASC);
        Map<String, Object> answer = new LinkedHashMap<>();
        if (range.from() != null) {
            answer.put("from", TimeRange.iso(range.from()));
        }
        if (range.to() != null) {
            answer.put("to", TimeRange.iso(range.to()));
        }
        List<PageHit> pages = hits(source, false);
        if (bots.included()) {
            pages.forEach(p -> p.views += p.botViews);
        }
        answer.put("count", pages.size());
        answer.put("pages", pages);
        return answer;
    }

    /** The urls of the (at most {@link #MAX_FILTER_PAGES}) best-matching pages: the {@code page} filter of the session lists. */
    public List<String> matchingUrls(TitleQuery query) {
        List<String> urls = new ArrayList<>();
        for (PageHit hit : hits(ranked(query).size(MAX_FILTER_PAGES).fetchSource("url", null), false)) {
            if (hit.url != null) {
                urls.add(hit.url);
            }
        }
        return urls;
    }

    private static SearchSourceBuilder ranked(TitleQuery query) {
        return new SearchSourceBuilder().query(query.toQuery()).trackTotalHits(false)
                .sort("_score", SortOrder.DESC).sort("views", SortOrder.DESC).sort("url", SortOrder.ASC);
    }

    private List<PageHit> hits(SearchSourceBuilder source, boolean withScore) {
        if (withScore) {
            source.trackScores(true);
        }
        List<PageHit> pages = new ArrayList<>();
        for (SearchHit hit : index.search(source).getHits().getHits()) {
            try {
                PageHit page = Json.MAPPER.readValue(hit.getSourceRef().streamInput(), PageHit.class);
                page.score = withScore ? hit.getScore() : null;
                pages.add(page);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable page document " + hit.getId(), e);
            }
        }
        return pages;
    }

    /** A page of the catalogue as answered, with its relevance score in search answers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class PageHit extends PageDocument {
        public Float score;
    }
}
