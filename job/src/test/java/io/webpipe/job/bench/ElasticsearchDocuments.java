package io.webpipe.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/** Every document behind an alias, by id, however many (a scroll: a plain search stops at 10,000). */
final class ElasticsearchDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ElasticsearchDocuments() {}

    static Map<String, JsonNode> all(RestClient client, String alias) throws IOException {
        client.performRequest(new Request("POST", "/" + alias + "/_refresh"));
        Request search = new Request("POST", "/" + alias + "/_search");
        search.addParameter("scroll", "1m");
        search.setJsonEntity("{\"size\":5000,\"sort\":[\"_doc\"]}");
        JsonNode page = JSON.readTree(client.performRequest(search).getEntity().getContent());
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        while (page.path("hits").path("hits").size() > 0) {
            for (JsonNode hit : page.path("hits").path("hits")) {
                byId.put(hit.path("_id").asText(), hit.path("_source"));
            }
            Request next = new Request("POST", "/_search/scroll");
            next.setJsonEntity(JSON.createObjectNode().put("scroll", "1m").put("scroll_id", page.path("_scroll_id").asText()).toString());
            page = JSON.readTree(client.performRequest(next).getEntity().getContent());
        }
        Request clear = new Request("DELETE", "/_search/scroll");
        clear.setJsonEntity(JSON.createObjectNode().put("scroll_id", page.path("_scroll_id").asText()).toString());
        client.performRequest(clear);
        return byId;
    }
}
