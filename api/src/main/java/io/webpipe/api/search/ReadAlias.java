package io.webpipe.api.search;

import io.webpipe.api.http.ApiException;
import java.io.IOException;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Searches behind one read alias ({@code web-sessions}, {@code web-pages}). A missing alias reads
 * as empty (the job has not written yet); an unreachable or failing Elasticsearch becomes a 503 for
 * the caller.
 */
public final class ReadAlias {
    private static final Logger LOG = LoggerFactory.getLogger(ReadAlias.class);

    private final RestHighLevelClient client;
    private final String alias;

    public ReadAlias(RestHighLevelClient client, String alias) {
        this.client = client;
        this.alias = alias;
    }

    public SearchResponse search(SearchSourceBuilder source) {
        SearchRequest request = new SearchRequest(alias)
                .source(source)
                .indicesOptions(IndicesOptions.lenientExpandOpen());
        try {
            return client.search(request, RequestOptions.DEFAULT);
        } catch (IOException e) {
            LOG.warn("Elasticsearch unreachable: {}", e.toString());
            throw ApiException.unavailable("Elasticsearch is unreachable; try again later");
        } catch (ElasticsearchStatusException e) {
            if (e.status().getStatus() >= 500 || e.status().getStatus() == 429) {
                LOG.warn("Elasticsearch failed the search: {}", e.getDetailedMessage());
                throw ApiException.unavailable("Elasticsearch cannot answer right now; try again later");
            }
            throw e;
        }
    }
}
