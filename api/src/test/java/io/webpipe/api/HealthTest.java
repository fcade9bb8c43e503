package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /health reports each dependency; a dependency that is down turns into 503s, never 500s or stack traces. */
@ExtendWith(LocalInfra.class)
class HealthTest {

    @Test
    void upWhenElasticsearchAndKafkaAnswer(ElasticsearchNode es, KafkaBroker kafka) {
        try (TestApi api = TestApi.start(es, kafka, "health-test", "health-test")) {
            TestApi.Reply reply = api.get("/health");
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("status").asText()).isEqualTo("up");
            assertThat(reply.json().get("elasticsearch").asText()).isEqualTo("up");
            assertThat(reply.json().get("kafka").asText()).isEqualTo("up");
        }
    }

    @Test
    void elasticsearchDownIsA503Everywhere(KafkaBroker kafka) throws IOException {
        try (TestApi api = TestApi.start("http://127.0.0.1:" + closedPort(), kafka.bootstrapServers(), "health-test", "health-test")) {
            TestApi.Reply health = api.get("/health");
            assertThat(health.status()).isEqualTo(503);
            JsonNode body = health.json();
            assertThat(body.get("status").asText()).isEqualTo("down");
            assertThat(body.get("elasticsearch").asText()).startsWith("down");
            assertThat(body.get("kafka").asText()).isEqualTo("up");
            assertThat(body.get("message").asText()).contains("elasticsearch");

            for (String path : new String[] {"/api/sessions", "/api/sessions/s1", "/api/visitors/v/sessions",
                    "/api/stats/overview", "/api/stats/timeseries", "/api/stats/top?dimension=browser"}) {
                TestApi.Reply reply = api.get(path);
                assertThat(reply.status()).as(path).isEqualTo(503);
                assertThat(reply.json().get("error").asText()).isEqualTo("unavailable");
                assertThat(reply.json().get("message").asText()).contains("Elasticsearch");
            }
        }
    }

    @Test
    void kafkaDownIsA503ForHealthAndCollector(ElasticsearchNode es) throws IOException {
        try (TestApi api = TestApi.start(es.httpUrl(), "127.0.0.1:" + closedPort(), "health-test", "health-test",
                "--kafka.publish-timeout", "1500ms")) {
            TestApi.Reply health = api.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("kafka").asText()).startsWith("down");
            assertThat(health.json().get("elasticsearch").asText()).isEqualTo("up");

            TestApi.Reply collect = api.post("/collect", "[{\"eventId\":\"e-1\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"},"
                    + "{\"type\":\"click\",\"timestamp\":1}]");
            assertThat(collect.status()).isEqualTo(503);
            JsonNode body = collect.json();
            assertThat(body.get("error").asText()).isEqualTo("unavailable");
            assertThat(body.get("message").asText()).contains("Kafka did not confirm 1 of 1");
            assertThat(body.get("accepted").asInt()).isZero();
            assertThat(body.get("rejected").asInt()).isEqualTo(1);
            assertThat(body.get("failed").asInt()).isEqualTo(1);
            assertThat(body.get("eventIds")).isEmpty();
            assertThat(body.get("failures").get(0).get("index").asInt()).isZero();
            assertThat(body.get("failures").get(0).get("eventId").asText()).isEqualTo("e-1");
        }
    }

    /** A port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
