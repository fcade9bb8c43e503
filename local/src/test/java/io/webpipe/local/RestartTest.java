package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server restarted on the same data directory keeps what it held: the local stack relies on it. */
class RestartTest {

    @Test
    void kafkaKeepsTopicsAndRecords(@TempDir Path dataDir) throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(dataDir, 0)) {
            kafka.createTopic("kept", 2);
            Records.produce(kafka.bootstrapServers(), "kept", "k", "before restart");
        }

        try (KafkaBroker kafka = KafkaBroker.start(dataDir, 0)) {
            assertThat(Records.consume(kafka.bootstrapServers(), "kept", 1))
                    .singleElement().satisfies(record -> assertThat(record.value()).isEqualTo("before restart"));
        }
    }

    @Test
    void elasticsearchKeepsDocuments(@TempDir Path dataDir) {
        try (ElasticsearchNode es = ElasticsearchNode.start(dataDir, 0)) {
            Http.send("PUT", es.httpUrl() + "/kept/_doc/1?refresh=true", "{\"title\":\"before restart\"}");
        }

        try (ElasticsearchNode es = ElasticsearchNode.start(dataDir, 0)) {
            Http.send("GET", es.httpUrl() + "/_cluster/health/kept?wait_for_status=yellow&timeout=30s", null);
            assertThat(Http.send("GET", es.httpUrl() + "/kept/_doc/1", null).path("_source").path("title").asText())
                    .isEqualTo("before restart");
        }
    }
}
