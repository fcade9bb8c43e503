package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document served at /openapi.json lists exactly the routes the server registers. */
class OpenApiTest {

    @Test
    void everyRegisteredRouteIsDocumentedAndViceVersa() throws IOException {
        // Nothing listens on these: the routes are registered without contacting Elasticsearch or Kafka.
        try (TestApi api = TestApi.start("http://127.0.0.1:" + HealthTest.closedPort(), "127.0.0.1:" + HealthTest.closedPort(),
                "openapi-test", "openapi-test")) {
            Set<String> registered = new TreeSet<>();
            for (String route : api.server.routeList()) {
                registered.add(route.replaceAll(":([A-Za-z]+)", "{$1}"));
            }

            TestApi.Reply reply = api.get("/openapi.json");
            assertThat(reply.status()).isEqualTo(200);
            JsonNode document = reply.json();
            assertThat(document.get("openapi").asText()).startsWith("3.");
            Set<String> documented = new TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey()));
            }

            assertThat(registered).contains("GET /api/sessions/{sessionId}", "POST /collect");
            assertThat(documented).isEqualTo(registered);
        }
    }
}
