package io.webpipe.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.rest.RestStatus;
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
        try {
            return client.search(request(source), RequestOptions.DEFAULT);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (ElasticsearchStatusException e) {
            throw refused(e);
        }
    }

    /**
     * Several searches at once, answers in order. Elasticsearch searches a shard on one thread, so a costly set of
     * aggregations split into parallel searches answers sooner, with the same figures, when cores are idle.
     */
    public List<SearchResponse> searchAll(List<SearchSourceBuilder> sources) {
        List<CompletableFuture<SearchResponse>> answers = new ArrayList<>();
        for (SearchSourceBuilder source : sources) {
            CompletableFuture<SearchResponse> answer = new CompletableFuture<>();
            client.searchAsync(request(source), RequestOptions.DEFAULT, ActionListener.wrap(answer::complete, answer::completeExceptionally));
            answers.add(answer);
        }
        List<SearchResponse> responses = new ArrayList<>();
        for (CompletableFuture<SearchResponse> answer : answers) {
            try {
                responses.add(answer.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException) {
                    throw unreachable((IOException) e.getCause());
                }
                if (e.getCause() instanceof ElasticsearchStatusException) {
                    throw refused((ElasticsearchStatusException) e.getCause());
                }
                throw new IllegalStateException("search failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("the search was interrupted");
            }
        }
        return responses;
    }

    /**
     * The source of the document with this {@code _id}, or null when there is none (or no index behind the alias
     * yet). Not realtime: it sees what searches see, the last refresh.
     */
    public BytesReference get(String id) {
        try {
            GetResponse response = client.get(new GetRequest(alias, id).realtime(false), RequestOptions.DEFAULT);
            return response.isExists() ? response.getSourceAsBytesRef() : null;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (ElasticsearchStatusException e) {
            if (e.status() == RestStatus.NOT_FOUND) {
                return null; // index_not_found: the job has not written yet
            }
            throw refused(e);
        }
    }

    private SearchRequest request(SearchSourceBuilder source) {
        return new SearchRequest(alias).source(source).indicesOptions(IndicesOptions.lenientExpandOpen());
    }

    private static ApiException unreachable(IOException e) {
        LOG.warn("Elasticsearch unreachable: {}", e.toString());
        return ApiException.unavailable("Elasticsearch is unreachable; try again later");
    }

    private static ApiException refused(ElasticsearchStatusException e) {
        if (e.status().getStatus() >= 500 || e.status().getStatus() == 429) {
            LOG.warn("Elasticsearch failed the search: {}", e.getDetailedMessage());
            return ApiException.unavailable("Elasticsearch cannot answer right now; try again later");
        }
        // Any other refusal is about the request: the caller can change it, retrying cannot.
        LOG.warn("Elasticsearch refused a search ({}): {}", e.status().getStatus(), e.getDetailedMessage());
        return new ApiException(400, "search_refused", null, "Elasticsearch refused the search: " + clip(reason(e)));
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
