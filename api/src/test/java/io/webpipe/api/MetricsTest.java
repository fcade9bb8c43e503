package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.api.http.Json;
import io.webpipe.api.metrics.ApiMetrics;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /metrics on the real API: Prometheus' text format, counters that move, labels that stay bounded, the API's access rule. */
@ExtendWith(LocalInfra.class)
class MetricsTest {
    private static final String TOPIC = "metrics-test";
    private static final String REQUESTS = "http_server_requests_seconds_count";
    private static final String EVENTS = "webpipe_collector_events_total";
    private static final Path DASHBOARD = Path.of("..").toAbsolutePath().normalize().resolve("docker/grafana/dashboards/webpipe.json");
    private static final Pattern API_METRIC = Pattern.compile("\\b(webpipe|http_server|jvm|process)_[a-z_]+");
    private static final String VALID_EVENT = "{\"type\":\"click\",\"timestamp\":1764028800000,\"visitorId\":\"v\"}";
    private static TestApi api;

    @BeforeAll
    static void start(ElasticsearchNode es, KafkaBroker kafka) {
        kafka.createTopic(TOPIC, 1);
        SessionFixtures.createIndex(es, "metrics-test");
        api = TestApi.start(es, kafka, "metrics-test", TOPIC);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void theTextFormatParsesAndCarriesEveryFamily() {
        api.get("/health");
        TestApi.Reply reply = api.get("/metrics");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type.replace(" ", "")).isEqualToIgnoringCase(ApiMetrics.CONTENT_TYPE.replace(" ", "")));
        Set<String> names = PrometheusText.parse(reply.body()).stream().map(PrometheusText.Sample::name).collect(Collectors.toSet());
        assertThat(names).contains(REQUESTS, "http_server_requests_seconds_bucket", "http_server_requests_seconds_sum",
                EVENTS, "webpipe_collector_rate_limited_total", "webpipe_collector_producer_errors_total",
                "jvm_memory_used_bytes", "jvm_gc_max_data_size_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "process_cpu_usage", "process_uptime_seconds");
    }

    /** docker/'s Grafana dashboard: each API metric it queries is one this API serves (the job's are named in the README). */
    @Test
    void theDashboardQueriesOnlyMetricsTheApiServes() throws IOException {
        JsonNode dashboard = Json.MAPPER.readTree(DASHBOARD.toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher name = API_METRIC.matcher(expr.asText());
            while (name.find()) {
                queried.add(name.group());
            }
        }
        assertThat(queried).contains("webpipe_collector_events_total", "http_server_requests_seconds_bucket");
        api.get("/health");
        assertThat(scrape(api).stream().map(PrometheusText.Sample::name).collect(Collectors.toSet())).containsAll(queried);
    }

    @Test
    void countersMoveAfterRequests() {
        List<PrometheusText.Sample> before = scrape(api);
        TestApi.Reply collected = api.post("/collect", "[" + VALID_EVENT + ",{\"type\":\"click\"}]");
        assertThat(collected.status()).as(collected.toString()).isEqualTo(202);
        assertThat(api.get("/api/sessions/no-such-session").status()).isEqualTo(404);
        assertThat(api.get("/api/sessions?size=1").status()).isEqualTo(200);
        List<PrometheusText.Sample> after = scrape(api);

        assertThat(sum(after, EVENTS, "outcome", "accepted") - sum(before, EVENTS, "outcome", "accepted")).isEqualTo(1);
        assertThat(sum(after, EVENTS, "outcome", "rejected") - sum(before, EVENTS, "outcome", "rejected")).isEqualTo(1);
        assertThat(sum(after, EVENTS, "outcome", "failed")).isEqualTo(sum(before, EVENTS, "outcome", "failed"));
        for (String[] request : new String[][] {{"POST", "/collect", "202"}, {"GET", "/api/sessions/:sessionId", "404"},
            {"GET", "/api/sessions", "200"}}) {
            String[] labels = {"method", request[0], "route", request[1], "status", request[2]};
            assertThat(sum(after, REQUESTS, labels) - sum(before, REQUESTS, labels)).as(String.join(" ", request)).isEqualTo(1);
            assertThat(sum(after, "http_server_requests_seconds_bucket", "route", request[1], "status", request[2], "le", "+Inf"))
                    .isEqualTo(sum(after, REQUESTS, labels));
        }
    }

    @Test
    void labelsStayBoundedAfterAThousandBogusPaths() {
        List<PrometheusText.Sample> before = scrape(api);
        for (int i = 0; i < 1000; i++) {
            String path = switch (i % 4) {
                case 0 -> "/bogus-" + i;
                case 1 -> "/api/sessions/bogus-" + i;
                case 2 -> "/collect/bogus-" + i + "?x=" + i;
                default -> "/" + "deep/".repeat(i % 7) + "bogus-" + i + ".php";
            };
            assertThat(api.get(path).status()).as(path).isLessThan(500);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(api.raw("BOGUS" + i, "/bogus-method-" + i).status()).isLessThan(500);
        }
        List<PrometheusText.Sample> after = scrape(api);

        Set<String> routes = new TreeSet<>();
        api.server.routeList().forEach(route -> routes.add(route.substring(route.indexOf(' ') + 1)));
        routes.add("unmatched");
        assertThat(labelValues(after, "route")).isSubsetOf(routes);
        assertThat(labelValues(after, "method")).isSubsetOf("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
                "CONNECT", "OTHER");
        assertThat(after.stream().flatMap(s -> s.labels().values().stream())).noneMatch(value -> value.contains("bogus"));
        // A few new combinations (the 404 of a route, the unmatched path, the odd method, the scrape), not a thousand.
        assertThat(count(after, REQUESTS) - count(before, REQUESTS)).isLessThan(10);
        assertThat(after.size() - before.size()).isLessThan(200);
    }

    @Test
    void rateLimitedRequestsAreCounted(ElasticsearchNode es, KafkaBroker kafka) {
        try (TestApi limited = TestApi.start(es, kafka, "metrics-test", TOPIC, "--collector.rate-limit.burst", "1",
                "--collector.rate-limit.requests", "1", "--collector.rate-limit.period", "1h")) {
            assertThat(limited.post("/collect", VALID_EVENT).status()).isEqualTo(202);
            assertThat(limited.post("/collect", VALID_EVENT).status()).isEqualTo(429);
            assertThat(limited.get("/collect/p.gif?type=click&visitorId=v").status()).isEqualTo(429);
            List<PrometheusText.Sample> samples = scrape(limited);
            assertThat(sum(samples, "webpipe_collector_rate_limited_total")).isEqualTo(2);
            assertThat(sum(samples, REQUESTS, "route", "/collect", "status", "429")).isEqualTo(1);
            assertThat(sum(samples, REQUESTS, "route", "/collect/p.gif", "status", "429")).isEqualTo(1);
        }
    }

    @Test
    void eventsKafkaDoesNotConfirmAreProducerErrors(ElasticsearchNode es) throws IOException {
        try (TestApi noKafka = TestApi.start(es.httpUrl(), "127.0.0.1:" + HealthTest.closedPort(), "metrics-test", TOPIC,
                "--kafka.publish-timeout", "1s")) {
            assertThat(noKafka.post("/collect", VALID_EVENT).status()).isEqualTo(503);
            List<PrometheusText.Sample> samples = scrape(noKafka);
            assertThat(sum(samples, EVENTS, "outcome", "failed")).isEqualTo(1);
            assertThat(sum(samples, "webpipe_collector_producer_errors_total")).isEqualTo(1);
            assertThat(labelValues(samples, "kind")).containsExactlyInAnyOrder("refused", "not_stored", "timeout", "interrupted");
        }
    }

    @Test
    void metricsNeedAKeyWhereTheApiDoes(ElasticsearchNode es, KafkaBroker kafka) {
        try (TestApi keyed = TestApi.start(es, kafka, "metrics-test", TOPIC, "--api.keys", "metrics-key")) {
            TestApi.Reply none = keyed.get("/metrics");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(keyed.get("/metrics", "Authorization", "Bearer metrics-key").status()).isEqualTo(200);
            assertThat(keyed.get("/metrics", "X-API-Key", "metrics-key").status()).isEqualTo(200);
        }
        try (TestApi locked = TestApi.start(es, kafka, "metrics-test", TOPIC, "--api.host", "0.0.0.0")) {
            assertThat(locked.get("/metrics").status()).isEqualTo(401);
        }
    }

    private static List<PrometheusText.Sample> scrape(TestApi target) {
        TestApi.Reply reply = target.get("/metrics");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return PrometheusText.parse(new String(reply.bytes(), StandardCharsets.UTF_8));
    }

    /** The sum of the samples of {@code name} whose labels include the given name/value pairs. */
    private static double sum(List<PrometheusText.Sample> samples, String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && has(s.labels(), labels)).mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static long count(List<PrometheusText.Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).count();
    }

    private static Set<String> labelValues(List<PrometheusText.Sample> samples, String label) {
        return samples.stream().map(s -> s.labels().get(label)).filter(v -> v != null).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean has(Map<String, String> actual, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(actual.get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
