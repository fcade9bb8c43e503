package io.webpipe.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.schema.Indices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/** Test helpers over the low-level client: unique alias names with their own template, and plain JSON requests. */
final class Es {
    static final ObjectMapper JSON = new ObjectMapper();

    private Es() {}

    /** A fresh alias name for one test, so tests sharing the node never meet. */
    static String uniqueAlias(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The page template re-targeted at {@code alias}_v* (the real one matches only web-pages_v*). */
    static String pageTemplateFor(String alias) {
        return Indices.template(Indices.PAGES).replace("\"" + Indices.PAGES + "_v*\"", "\"" + alias + "_v*\"");
    }

    static JsonNode send(RestClient client, String method, String path, String json) {
        Request request = new Request(method, path);
        if (json != null) {
            request.setJsonEntity(json);
        }
        try {
            var response = client.performRequest(request);
            return response.getEntity() == null ? JSON.createObjectNode() : JSON.readTree(EntityUtils.toString(response.getEntity()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> aliasHolders(RestClient client, String alias) {
        List<String> holders = new ArrayList<>();
        send(client, "GET", "/_alias/" + alias, null).fieldNames().forEachRemaining(holders::add);
        return holders;
    }
}
