package io.webpipe.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.api.http.Json;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.schema.Indices;
import io.webpipe.schema.PageDocument;
import io.webpipe.schema.SessionDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/** Creates a sessions or pages index from its template under a test's own alias and loads fixture documents. */
final class SessionFixtures {
    private SessionFixtures() {}

    /** Creates {@code alias_v1} with the settings and mappings of the web-sessions template, behind {@code alias}. */
    static void createIndex(ElasticsearchNode es, String alias) {
        createIndex(es, alias, Indices.SESSIONS);
    }

    /** Creates {@code alias_v1} with the settings and mappings of the template of {@code templateAlias}, behind {@code alias}. */
    static void createIndex(ElasticsearchNode es, String alias, String templateAlias) {
        ObjectNode body = (ObjectNode) read(Indices.template(templateAlias));
        body.remove("index_patterns");
        body.putObject("aliases").putObject(alias);
        request(es, "PUT", "/" + Indices.firstVersion(alias), Json.write(body));
    }

    /** Creates {@code alias_v1} with only the given mappings (no template), behind {@code alias}. */
    static void createIndexWithMappings(ElasticsearchNode es, String alias, String mappingsJson) {
        request(es, "PUT", "/" + Indices.firstVersion(alias),
                "{\"mappings\":" + mappingsJson + ",\"aliases\":{" + Json.write(alias) + ":{}}}");
    }

    /** Bulk-indexes the sessions (id = sessionId) and makes them searchable. */
    static void load(ElasticsearchNode es, String alias, Collection<SessionDocument> sessions) {
        Map<String, Object> byId = new LinkedHashMap<>();
        sessions.forEach(s -> byId.put(s.sessionId, s));
        bulk(es, alias, byId);
    }

    /** Bulk-indexes the pages (id = pageId) and makes them searchable. */
    static void loadPages(ElasticsearchNode es, String alias, Collection<PageDocument> pages) {
        Map<String, Object> byId = new LinkedHashMap<>();
        pages.forEach(p -> byId.put(p.pageId, p));
        bulk(es, alias, byId);
    }

    private static void bulk(ElasticsearchNode es, String alias, Map<String, Object> byId) {
        StringBuilder bulk = new StringBuilder();
        byId.forEach((id, doc) -> bulk.append("{\"index\":{\"_id\":").append(Json.write(id)).append("}}\n").append(Json.write(doc)).append('\n'));
        Request request = new Request("POST", "/" + alias + "/_bulk");
        request.addParameter("refresh", "true");
        request.setEntity(new NStringEntity(bulk.toString(), ContentType.create("application/x-ndjson", "UTF-8")));
        String response = perform(es, request);
        if (response.contains("\"errors\":true")) {
            throw new IllegalStateException("bulk load failed: " + response.substring(0, Math.min(2000, response.length())));
        }
    }

    /** A session; bounce and eventCount follow from the page views. */
    static SessionDocument session(String id, String visitor, String user, String start, long durationMs, int pageViews,
            String entryUrl, String utmSource, String browser, String os, String deviceType) {
        SessionDocument s = new SessionDocument();
        s.sessionId = id;
        s.visitorId = visitor;
        s.userId = user;
        Instant begin = Instant.parse(start);
        s.start = begin.toString();
        s.end = begin.plusMillis(durationMs).toString();
        s.durationMs = durationMs;
        s.eventCount = pageViews;
        s.pageViews = pageViews;
        s.entryUrl = entryUrl;
        s.exitUrl = entryUrl;
        s.entryTitle = "Title of " + entryUrl;
        s.exitTitle = s.entryTitle;
        for (int i = 0; i < pageViews; i++) {
            s.pages.add(entryUrl);
        }
        s.eventTypes.add(new SessionDocument.EventTypeCount("page_view", pageViews));
        s.bounce = pageViews <= 1;
        s.utmSource = utmSource;
        s.browser = browser;
        s.os = os;
        s.deviceType = deviceType;
        s.ip = "10.1.2.0";
        s.updatedAt = begin.plusMillis(durationMs).toString();
        return s;
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("sessions").forEach(s -> ids.add(s.get("sessionId").asText()));
        return ids;
    }

    private static void request(ElasticsearchNode es, String method, String path, String json) {
        Request request = new Request(method, path);
        request.setJsonEntity(json);
        perform(es, request);
    }

    private static String perform(ElasticsearchNode es, Request request) {
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            Response response = client.performRequest(request);
            return new String(response.getEntity().getContent().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
