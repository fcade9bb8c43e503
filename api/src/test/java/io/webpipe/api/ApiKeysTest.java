package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.api.http.ApiKeys;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With keys configured, /api/* needs one; without, it is open only on loopback. The health check,
 * the collector and the tracker stay open.
 */
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
                "/api/stats/timeseries", "/api/stats/top?dimension=os", "/api/realtime"}) {
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
    void theDashboardNeedsNoKeyAndAllowsThisOriginOnly() {
        TestApi.Reply page = api.get("/?lang=ko");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'"));
        assertThat(page.body()).contains("/dashboard/dashboard.js", "/dashboard/uPlot.iife.min.js").doesNotContain("http://", "https://");
        TestApi.Reply chartLibrary = api.get("/dashboard/uPlot.iife.min.js");
        assertThat(chartLibrary.status()).isEqualTo(200);
        assertThat(chartLibrary.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/javascript"));
        assertThat(chartLibrary.body()).contains("uPlot");
        TestApi.Reply missing = api.get("/dashboard/secret.properties");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void eitherHeaderCarriesAKey() {
        assertThat(api.get("/api/sessions", "Authorization", "Bearer first-key").status()).isEqualTo(200);
        assertThat(api.get("/api/sessions", "Authorization", "bearer second-key").status()).isEqualTo(200);
        assertThat(api.get("/api/sessions", "X-API-Key", "second-key").status()).isEqualTo(200);
        assertThat(api.get("/api/stats/overview", "X-API-Key", "first-key").status()).isEqualTo(200);
    }

    @Test
    void withoutKeysTheApiIsOpenOnlyOnLoopback() {
        for (String host : new String[] {"127.0.0.1", "::1", "localhost"}) {
            assertThat(new ApiKeys(List.of(), host).mode()).as(host).isEqualTo(ApiKeys.Mode.OPEN_ON_LOOPBACK);
        }
        for (String host : new String[] {"0.0.0.0", "::", "192.0.2.1", ""}) {
            assertThat(new ApiKeys(List.of(), host).mode()).as(host).isEqualTo(ApiKeys.Mode.LOCKED);
        }
        assertThat(new ApiKeys(List.of("k"), "0.0.0.0").mode()).isEqualTo(ApiKeys.Mode.KEYS_REQUIRED);
    }

    @Test
    void withoutKeysBeyondLoopbackEveryApiRequestIsA401AndTheRestStaysOpen(ElasticsearchNode es, KafkaBroker kafka) {
        try (TestApi everywhere = TestApi.start(es, kafka, "api-keys-test", TOPIC, "--api.host", "0.0.0.0")) {
            TestApi.Reply locked = everywhere.get("/api/sessions", "X-API-Key", "anything");
            assertThat(locked.status()).isEqualTo(401);
            assertThat(locked.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(locked.json().get("message").asText()).contains("api.keys");
            assertThat(everywhere.get("/health").status()).isEqualTo(200);
            assertThat(everywhere.post("/collect", "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}").status())
                    .isEqualTo(202);
        }
        try (TestApi loopback = TestApi.start(es, kafka, "api-keys-test", TOPIC)) {
            assertThat(loopback.get("/api/sessions").status()).isEqualTo(200);
        }
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
