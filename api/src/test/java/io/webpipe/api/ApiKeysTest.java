package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With keys configured, /api/* needs one; the health check, the collector and the tracker stay open. */
@ExtendWith(LocalInfra.class)
class ApiKeysTest {
    private static final String TOPIC = "api-keys-test";
    private static TestApi api;

    @BeforeAll
    static void start(ElasticsearchNode es, KafkaBroker kafka) {
        kafka.createTopic(TOPIC, 1);
        SessionFixtures.createIndex(es, "api-keys-test");
        api = TestApi.start(es, kafka, "api-keys-test", TOPIC, "--api.keys", "first-key, second-key");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void apiNeedsAValidKey() {
        for (String path : new String[] {"/api/sessions", "/api/sessions/x", "/api/visitors/v/sessions", "/api/stats/overview",
                "/api/stats/timeseries", "/api/stats/top?dimension=os"}) {
            TestApi.Reply none = api.get(path);
            assertThat(none.status()).as(path).isEqualTo(401);
            assertThat(none.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertThat(api.get("/api/sessions", "Authorization", "Bearer wrong").status()).isEqualTo(401);
        assertThat(api.get("/api/sessions", "X-API-Key", "first-key-but-longer").status()).isEqualTo(401);
        assertThat(api.get("/api/sessions", "Authorization", "Basic Zmlyc3Qta2V5").status()).isEqualTo(401);
        // A bad parameter without a key is still a 401: nothing is revealed before authentication.
        assertThat(api.get("/api/sessions?size=0").status()).isEqualTo(401);
    }

    @Test
    void eitherHeaderCarriesAKey() {
        assertThat(api.get("/api/sessions", "Authorization", "Bearer first-key").status()).isEqualTo(200);
        assertThat(api.get("/api/sessions", "Authorization", "bearer second-key").status()).isEqualTo(200);
        assertThat(api.get("/api/sessions", "X-API-Key", "second-key").status()).isEqualTo(200);
        assertThat(api.get("/api/stats/overview", "X-API-Key", "first-key").status()).isEqualTo(200);
    }

    @Test
    void healthCollectorTrackerAndDocumentStayOpen() {
        assertThat(api.get("/health").status()).isEqualTo(200);
        assertThat(api.get("/webpipe.js").status()).isEqualTo(200);
        assertThat(api.get("/openapi.json").status()).isEqualTo(200);
        TestApi.Reply collected = api.post("/collect", "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}");
        assertThat(collected.status()).as(collected.toString()).isEqualTo(202);
    }
}
