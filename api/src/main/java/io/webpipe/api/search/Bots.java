package io.webpipe.api.search;

import io.webpipe.api.http.QueryParams;
import java.util.Map;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;

/**
 * The {@code bots} parameter of every statistic: sessions of crawlers and headless browsers ({@code bot: true})
 * are left out unless the request says {@code bots=include}.
 */
public enum Bots {
    EXCLUDE,
    INCLUDE;

    public static final String PARAMETER = "bots";
    private static final Map<String, Bots> BY_NAME = Map.of("exclude", EXCLUDE, "include", INCLUDE);

    public static Bots of(QueryParams params) {
        return params.choice(PARAMETER, BY_NAME, EXCLUDE);
    }

    /** Adds "not a bot" to a session query unless bots are included; returns the query. */
    public BoolQueryBuilder restrict(BoolQueryBuilder sessionQuery) {
        return this == INCLUDE ? sessionQuery : sessionQuery.mustNot(QueryBuilders.termQuery("bot", true));
    }

    public boolean included() {
        return this == INCLUDE;
    }
}
