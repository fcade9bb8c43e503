package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.api.http.Json;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of generated requests over every operation and parameter of openapi.json (see
 * {@link FuzzRequests}), against the real Elasticsearch and Kafka: no answer is 500 or more, and
 * every 4xx carries the JSON error body (except the pixel's rejections, GIFs that name their
 * reason in a header). The seed is fixed, so a failure names its request and recurs.
 */
@ExtendWith(LocalInfra.class)
class ApiFuzzTest {
    private static final long SEED = 20261125;
    private static final int REQUESTS = 6_000;
    private static final String SESSIONS = "fuzz-test";
    private static final String PAGES = "fuzz-test-pages";
    private static final String TOPIC = "fuzz-test";
    private static final int SHOWN_FAILURES = 20;

    @Test
    void noGeneratedRequestGetsA5xxAndEvery4xxExplainsItselfInJson(ElasticsearchNode es, KafkaBroker kafka) {
        kafka.createTopic(TOPIC, 1);
        SessionFixtures.createIndex(es, SESSIONS);
        SessionFixtures.load(es, SESSIONS, List.of(SessionFixtures.session("s01", "v1", "u1", "2026-11-20T10:00:00Z", 60_000, 2,
                "https://shop.example/a", "news", "Chrome", "Windows", "desktop")));
        SessionFixtures.createIndex(es, PAGES, Indices.PAGES);
        // The rate limit is off: the generator is one client sending thousands of requests on purpose.
        try (TestApi api = TestApi.start(es, kafka, SESSIONS, TOPIC, "--elasticsearch.pages-alias", PAGES,
                "--collector.rate-limit.requests", "0")) {
            List<FuzzRequests.Operation> operations = FuzzRequests.operations(api.ok("/openapi.json"));
            FuzzRequests generator = new FuzzRequests(new Random(SEED));
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                FuzzRequests.Request request = generator.next(operations);
                String problem;
                try {
                    TestApi.Reply reply = RawHttp.exchange(api.server.port(), request.method(), request.target(), request.headers(),
                            request.body());
                    statuses.merge(reply.status(), 1, Integer::sum);
                    problem = problem(request, reply);
                } catch (RuntimeException e) {
                    problem = "no answer: " + e;
                }
                if (problem != null && failures.size() < SHOWN_FAILURES) {
                    failures.add("#" + i + " " + request + "\n    -> " + problem);
                }
            }
            assertThat(failures).as("answers by status: " + statuses).isEmpty();
            assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
            // The generator reaches both sides: answered requests and refused ones.
            assertThat(statuses).containsKeys(200, 202, 400, 404);
        }
    }

    /** What is wrong with the answer, or null. */
    private static String problem(FuzzRequests.Request request, TestApi.Reply reply) {
        if (reply.status() >= 500) {
            return "answered " + reply;
        }
        if (reply.status() < 400 || request.method().equals("HEAD")) {
            return null;
        }
        if (reply.headers().firstValue("Content-Type").orElse("").startsWith("image/gif")) {
            return request.isPixel() && reply.status() == 400 && reply.headers().firstValue("X-Webpipe-Rejected").isPresent()
                    ? null : "a GIF refusal outside the pixel's documented one: " + reply.status() + " " + reply.headers().map();
        }
        try {
            JsonNode body = Json.MAPPER.readTree(reply.bytes());
            return body != null && body.path("error").isTextual() && body.path("message").isTextual()
                    ? null : "a " + reply.status() + " without the JSON error body: " + reply;
        } catch (IOException e) {
            return "a " + reply.status() + " whose body is not JSON: " + reply;
        }
    }
}
