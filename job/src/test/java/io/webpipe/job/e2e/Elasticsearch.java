package io.webpipe.job.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.schema.Indices;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** Test-side access to the session index of a real Elasticsearch node. */
public final class Elasticsearch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RestClient client;

    public Elasticsearch(String url) {
        client = IndexLifecycle.connect(url, null, null);
    }

    /** Drops the job's indices (sessions and pages) and sets them up again as the job does at start. */
    public void resetJobIndices() throws IOException {
        reset(Indices.SESSIONS);
        reset(Indices.PAGES);
    }

    /** Drops the indices behind {@code alias} and sets them up again as the job does at start. */
    public void reset(String alias) throws IOException {
        try {
            client.performRequest(new Request("DELETE", "/" + alias + "_v*"));
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() != 404) {
                throw e;
            }
        }
        new IndexLifecycle(client, message -> { }).ensure(alias);
    }

    /** Every session document by id, after a refresh. */
    public Map<String, JsonNode> sessions() throws IOException {
        return documents(Indices.SESSIONS);
    }

    /** Every document behind {@code alias} by id, after a refresh. */
    public Map<String, JsonNode> documents(String alias) throws IOException {
        client.performRequest(new Request("POST", "/" + alias + "/_refresh"));
        Request search = new Request("GET", "/" + alias + "/_search");
        search.setJsonEntity("{\"size\":10000,\"query\":{\"match_all\":{}}}");
        JsonNode hits = JSON.readTree(client.performRequest(search).getEntity().getContent()).path("hits").path("hits");
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode hit : hits) {
            byId.put(hit.path("_id").asText(), hit.path("_source"));
        }
        return byId;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
