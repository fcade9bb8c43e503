package io.webpipe.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.Json;
import java.io.IOException;
import java.io.InputStream;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Searches behind one read alias ({@code web-sessions}, {@code web-pages}). A missing alias reads
 * as empty (the job has not written yet); an unreachable or failing Elasticsearch becomes a 503 for
 * the caller, a search it refuses (a 4xx other than 429) a 400.
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
            // Any other refusal is about the request: the caller can change it, retrying cannot.
            LOG.warn("Elasticsearch refused a search ({}): {}", e.status().getStatus(), e.getDetailedMessage());
            throw new ApiException(400, "search_refused", null, "Elasticsearch refused the search: " + clip(reason(e)));
        }
    }

    /**
     * The first root cause of Elasticsearch's answer ("all shards failed" says nothing): the client
     * keeps the answer, buffered, in the suppressed low-level exception. No hosts or URIs.
     */
    private static String reason(ElasticsearchStatusException e) {
        for (Throwable suppressed : e.getSuppressed()) {
            if (suppressed instanceof ResponseException) {
                try (InputStream body = ((ResponseException) suppressed).getResponse().getEntity().getContent()) {
                    JsonNode reason = Json.MAPPER.readTree(body).path("error").path("root_cause").path(0).path("reason");
                    if (reason.isTextual()) {
                        return reason.asText();
                    }
                } catch (IOException | RuntimeException unreadable) {
                    // fall back to the summary below
                }
            }
        }
        return e.getMessage();
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
