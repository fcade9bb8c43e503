package io.webpipe.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.util.ArrayList;
import java.util.List;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The runbook's migration of {@code web-sessions} v1 (event type names as fields of {@code eventTypes})
 * to the current mapping (a list of {@code {type, count}}): {@code init} + {@code reindex} on the real alias.
 */
@ExtendWith(LocalInfra.class)
class IndexMigrationTest {

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
}
