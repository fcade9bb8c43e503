package io.webpipe.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import io.webpipe.schema.SessionDocument;
import java.util.ArrayList;
import java.util.List;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The runbook's migrations of {@code web-sessions} to the current mapping, {@code init} + {@code reindex} on the real
 * alias: v1 (event type names as fields of {@code eventTypes}) to a list of {@code {type, count}}; v2 (before the
 * session quality fields) to documents with what they tell of them; v3 to documents with the job's visitor hash.
 */
@ExtendWith(LocalInfra.class)
class IndexMigrationTest {

    /** The fields the v2 → v3 mapping change added to the session document (issue 10). */
    private static final List<String> V3_FIELDS = List.of("live", "engaged", "channel", "bot", "landingPage", "exitPage", "referrerHost");

    @Test
    void reindexMigratesV1SessionDocumentsToTheCurrentMapping(ElasticsearchNode es) throws Exception {
        String alias = Indices.SESSIONS;
        List<String> output = new ArrayList<>();
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            Es.send(client, "DELETE", "/" + alias + "_v*", null);
            // v1 as the first version of the job created it: eventTypes a dynamic object of integer counts.
            Es.send(client, "PUT", "/" + alias + "_v1", "{\"aliases\":{\"" + alias + "\":{\"is_write_index\":true}},"
                    + "\"mappings\":{\"dynamic\":\"strict\",\"dynamic_templates\":[{\"counts\":{\"path_match\":\"eventTypes.*\","
                    + "\"mapping\":{\"type\":\"integer\"}}}],\"properties\":{\"sessionId\":{\"type\":\"keyword\"},"
                    + "\"eventTypes\":{\"type\":\"object\",\"dynamic\":true},"
                    + "\"updatedAt\":{\"type\":\"date\"}}}}");
            Es.send(client, "PUT", "/" + alias + "/_doc/s1?refresh=true&version_type=external&version=1000",
                    "{\"sessionId\":\"s1\",\"eventTypes\":{\"click\":2,\"page_view\":3,\"video_play\":2},"
                    + "\"updatedAt\":\"2026-11-25T00:00:01Z\"}");

            IndexLifecycle lifecycle = new IndexLifecycle(client, output::add);
            lifecycle.init(alias);
            lifecycle.reindex(alias, 1, 2);

            assertThat(Es.aliasHolders(client, alias)).containsExactly(alias + "_v2");
            JsonNode doc = Es.send(client, "GET", "/" + alias + "/_doc/s1", null);
            assertThat(doc.path("_source").path("eventTypes").toString())
                    .isEqualTo("[{\"count\":3,\"type\":\"page_view\"},{\"count\":2,\"type\":\"click\"},{\"count\":2,\"type\":\"video_play\"}]");
            assertThat(doc.path("_version").asLong()).isEqualTo(1000);
            assertThat(Es.send(client, "GET", "/" + alias + "_v2/_mapping", null)
                    .at("/" + alias + "_v2/mappings/properties/eventTypes/properties/type/type").asText()).isEqualTo("keyword");
            Es.send(client, "DELETE", "/" + alias + "_v*", null);
        }
    }

    /** url, its path, its host ("-": none): the cases of the job's {@code UrlPartsTest}, which the script must treat alike. */
    private static final String[][] URLS = {
            {"https://shop.example/products/nike-air?utm_source=x&utm_medium=email", "/products/nike-air", "shop.example"},
            {"https://Shop.Example:8443/a/b/#reviews", "/a/b/", "shop.example"},
            {"https://user:secret@www.Google.co.kr/search?q=1", "/search", "www.google.co.kr"},
            {"https://shop.example", "/", "shop.example"},
            {"https://shop.example?q=1", "/", "shop.example"},
            {"https://shop.example#top", "/", "shop.example"},
            {"https://shop.example/%EB%82%98%EC%9D%B4%ED%82%A4?a=1", "/%EB%82%98%EC%9D%B4%ED%82%A4", "shop.example"},
            {"http://[2001:db8::1]:8080/x", "/x", "[2001:db8::1]"},
            {"//cdn.example/app.js", "/app.js", "cdn.example"},
            {"android-app://com.google.android.gm/", "/", "com.google.android.gm"},
            {"/cart?step=2", "/cart", "-"},
            {"cart", "cart", "-"},
            {"not a url", "not a url", "-"},
            {"https://", "/", "-"},
            {"https://exa mple.com/x", "/x", "-"},
            {"https:/shop.example/x", "https:/shop.example/x", "-"}};

    @Test
    void reindexGivesV2SessionDocumentsTheQualityFieldsTheyTell(ElasticsearchNode es) throws Exception {
        String alias = Indices.SESSIONS;
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            createWithout(client, 2, V3_FIELDS);

            for (int i = 0; i < URLS.length; i++) {
                put(client, "u" + i, Es.JSON.createObjectNode().put("entryUrl", URLS[i][0]).put("exitUrl", URLS[i][0])
                        .put("referrer", URLS[i][0]).put("durationMs", 0).put("pageViews", 1));
            }
            put(client, "ten-seconds", Es.JSON.createObjectNode().put("durationMs", 10_000).put("pageViews", 1));
            put(client, "longer", Es.JSON.createObjectNode().put("durationMs", 10_001).put("pageViews", 1));
            put(client, "two-pages", Es.JSON.createObjectNode().put("durationMs", 0).put("pageViews", 2).put("deviceType", "bot"));
            Es.send(client, "POST", "/" + alias + "/_refresh", null);

            IndexLifecycle lifecycle = new IndexLifecycle(client, s -> {});
            lifecycle.init(alias);
            lifecycle.reindex(alias, 2, 3);

            assertThat(Es.aliasHolders(client, alias)).containsExactly(alias + "_v3");
            for (int i = 0; i < URLS.length; i++) {
                JsonNode doc = source(client, "u" + i);
                assertThat(doc.path("landingPage").asText()).as(URLS[i][0]).isEqualTo(URLS[i][1]);
                assertThat(doc.path("exitPage").asText()).as(URLS[i][0]).isEqualTo(URLS[i][1]);
                assertThat(doc.path("referrerHost").asText("-")).as(URLS[i][0]).isEqualTo(URLS[i][2]);
                assertThat(doc.path("live").asBoolean(true)).isFalse();
                assertThat(doc.path("bot").asBoolean(true)).isFalse();
                assertThat(doc.has("channel")).as("from the rebuild only").isFalse();
            }
            assertThat(source(client, "ten-seconds").path("engaged").asBoolean(true)).isFalse();
            assertThat(source(client, "longer").path("engaged").asBoolean()).isTrue();
            assertThat(source(client, "two-pages").path("engaged").asBoolean()).isTrue();
            assertThat(source(client, "two-pages").path("bot").asBoolean()).isTrue();
            assertThat(source(client, "two-pages").has("landingPage")).isFalse();
            assertThat(Es.send(client, "GET", "/" + alias + "/_doc/u0", null).path("_version").asLong()).isEqualTo(1000);
            Es.send(client, "DELETE", "/" + alias + "_v*", null);
        }
    }

    @Test
    void upgradeGivesV3SessionDocumentsTheJobsVisitorHash(ElasticsearchNode es) throws Exception {
        String alias = Indices.SESSIONS;
        List<String> visitors = List.of("v-1", "0f8fad5b-d9cb-469f-a165-70867728950e", "방문자", "😀 emoji", "x".repeat(256));
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            createWithout(client, 3, List.of(SessionDocument.VISITOR_HASH));
            for (int i = 0; i < visitors.size(); i++) {
                put(client, "s" + i, Es.JSON.createObjectNode().put("visitorId", visitors.get(i)));
            }
            put(client, "no-visitor", Es.JSON.createObjectNode());
            Es.send(client, "POST", "/" + alias + "/_refresh", null);

            // What ./webpipe up runs before it submits the job: a new version + reindex, since v3 lacks a field of the
            // template. v4 left empty by an interrupted upgrade is taken up again rather than a v5 made.
            IndexLifecycle lifecycle = new IndexLifecycle(client, s -> {});
            lifecycle.init(alias);
            assertThat(lifecycle.upgrade(alias)).containsExactly(SessionDocument.VISITOR_HASH);
            assertThat(lifecycle.upgrade(alias)).as("up to date: nothing to do").isEmpty();

            assertThat(Es.aliasHolders(client, alias)).containsExactly(alias + "_v4");
            assertThat(lifecycle.list(alias)).extracting(IndexVersion::version).containsExactly(3, 4);
            for (int i = 0; i < visitors.size(); i++) {
                assertThat(source(client, "s" + i).path(SessionDocument.VISITOR_HASH).asLong())
                        .as(visitors.get(i)).isEqualTo(SessionDocument.visitorHash(visitors.get(i)));
            }
            assertThat(source(client, "no-visitor").has(SessionDocument.VISITOR_HASH)).isFalse();
            Es.send(client, "DELETE", "/" + alias + "_v*", null);
        }
    }

    /** {@code web-sessions_v<version>} holding the alias, from the current template less {@code fields}. */
    private static void createWithout(RestClient client, int version, List<String> fields) throws Exception {
        String alias = Indices.SESSIONS;
        Es.send(client, "DELETE", "/" + alias + "_v*", null);
        if (client.performRequest(new Request("HEAD", "/_template/" + alias)).getStatusLine().getStatusCode() == 200) {
            Es.send(client, "DELETE", "/_template/" + alias, null); // else it would add the fields back
        }
        ObjectNode template = (ObjectNode) Es.JSON.readTree(Indices.template(alias));
        ((ObjectNode) template.path("mappings").path("properties")).remove(fields);
        ObjectNode index = Es.JSON.createObjectNode();
        index.set("settings", template.path("settings"));
        index.set("mappings", template.path("mappings"));
        index.putObject("aliases").putObject(alias).put("is_write_index", true);
        Es.send(client, "PUT", "/" + alias + "_v" + version, index.toString());
    }

    private static void put(RestClient client, String id, ObjectNode doc) {
        doc.put("sessionId", id).put("updatedAt", "2026-11-25T00:00:01Z");
        Es.send(client, "PUT", "/" + Indices.SESSIONS + "/_doc/" + id + "?version_type=external&version=1000", doc.toString());
    }

    private static JsonNode source(RestClient client, String id) {
        return Es.send(client, "GET", "/" + Indices.SESSIONS + "/_doc/" + id, null).path("_source");
    }
}
