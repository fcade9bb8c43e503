package io.webpipe.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.job.Connectors;
import io.webpipe.job.JobConfig;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A document Elasticsearch refuses for good (here: a field its strict mapping does not know) goes to the
 * dead-letter topic with the reason, the index, the id and the document, and the sink goes on: the job
 * finishes and the documents around it are written.
 */
@ExtendWith(LocalInfra.class)
class RefusedWritesTest {
    private static final String INDEX = "refused-writes-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJob.miniCluster();

    @Test
    void aDocumentElasticsearchRefusesIsDeadLetteredAndTheJobGoesOn(KafkaBroker kafka, ElasticsearchNode es) throws Exception {
        String topic = "refused-writes";
        TestJob.createTopics(kafka, topic, 1);
        JobConfig config = TestJob.config(kafka.bootstrapServers(), es.httpUrl(), topic);
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            Request create = new Request("PUT", "/" + INDEX);
            create.setJsonEntity("{\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"v\":{\"type\":\"keyword\"}}}}");
            client.performRequest(create);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.fromData(List.of(
                            DocumentWrite.upsert(INDEX, "before", "{\"v\":\"a\"}", 1000),
                            DocumentWrite.upsert(INDEX, "refused", "{\"v\":\"b\",\"unknown\":1}", 1000),
                            DocumentWrite.upsert(INDEX, "after", "{\"v\":\"c\"}", 1000)),
                            TypeInformation.of(DocumentWrite.class))
                    .sinkTo(Connectors.elasticsearchSink(config))
                    .name("elasticsearch " + INDEX);
            env.execute("refused writes");

            client.performRequest(new Request("POST", "/" + INDEX + "/_refresh"));
            JsonNode count = JSON.readTree(client.performRequest(new Request("GET", "/" + INDEX + "/_count")).getEntity().getContent());
            assertThat(count.path("count").asInt()).isEqualTo(2);
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = SessionJobEndToEndTest.records(kafka, config.deadLetterTopic, 1, Duration.ofSeconds(30));
        assertThat(deadLetters).singleElement().satisfies(r -> {
            JsonNode letter = JSON.readTree(r.value());
            assertThat(letter.path("reason").asText()).startsWith("elasticsearch refused the document (BAD_REQUEST)")
                    .contains("strict_dynamic_mapping_exception");
            assertThat(letter.path("index").asText()).isEqualTo(INDEX);
            assertThat(letter.path("id").asText()).isEqualTo("refused");
            assertThat(new String(Base64.getDecoder().decode(letter.path("value").asText()))).isEqualTo("{\"v\":\"b\",\"unknown\":1}");
        });
    }
}
