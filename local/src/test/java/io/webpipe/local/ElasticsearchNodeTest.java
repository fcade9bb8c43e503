package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

@ExtendWith(LocalInfra.class)
class ElasticsearchNodeTest {

    @Test
    void indexesAndSearchesADocument(ElasticsearchNode es) {
        Http.send("PUT", es.httpUrl() + "/index-and-search/_doc/1?refresh=true", "{\"title\":\"Nike Air\",\"views\":3}");

        JsonNode hits = Http.send("POST", es.httpUrl() + "/index-and-search/_search",
                "{\"query\":{\"match\":{\"title\":\"nike\"}}}").path("hits");

        assertThat(hits.path("total").path("value").asInt()).isEqualTo(1);
        assertThat(hits.path("hits").get(0).path("_source").path("views").asInt()).isEqualTo(3);
    }

    @Test
    void isASingleNodeWithTheIngestRole(ElasticsearchNode es) {
        JsonNode nodes = Http.send("GET", es.httpUrl() + "/_nodes", null).path("nodes");

        assertThat(nodes.size()).isEqualTo(1);
        assertThat(nodes.elements().next().path("roles").toString()).contains("\"ingest\"", "\"master\"", "\"data\"");
    }
}
