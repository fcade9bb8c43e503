package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.api.http.Json;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** POST /collect and the pixel against a real broker: what is accepted is in Kafka, what is not is explained. */
@ExtendWith(LocalInfra.class)
class CollectorTest {
    private static final String TOPIC = "collector-test";
    private static KafkaBroker kafka;
    private static ElasticsearchNode es;
    private static TestApi api;

    @BeforeAll
    static void start(ElasticsearchNode node, KafkaBroker broker) {
        kafka = broker;
        es = node;
        kafka.createTopic(TOPIC, 3);
        api = TestApi.start(es, kafka, "collector-test", TOPIC);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void acceptsOneEventCompletesItAndPublishesItKeyedByVisitor() {
        String visitor = unique("visitor");
        TestApi.Reply reply = api.post("/collect", "{\"type\":\"page_view\",\"timestamp\":\"2026-11-25T09:00:00+09:00\",\"visitorId\":\""
                + visitor + "\",\"url\":\"https://shop.example/a?utm_source=news\",\"properties\":{\"plan\":\"pro\"},\"extra\":1}",
                "User-Agent", "TestAgent/1.0");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        JsonNode body = reply.json();
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        assertThat(body.get("rejected").asInt()).isZero();
        String eventId = body.get("eventIds").get(0).asText();
        assertThat(eventId).isNotBlank();

        ConsumerRecord<String, String> record = only(visitor);
        assertThat(record.key()).isEqualTo(visitor);
        JsonNode event = read(record.value());
        assertThat(event.get("eventId").asText()).isEqualTo(eventId);
        assertThat(event.get("userAgent").asText()).isEqualTo("TestAgent/1.0");
        assertThat(event.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(event.get("timestamp").asText()).isEqualTo("2026-11-25T09:00:00+09:00");
        assertThat(event.get("properties").get("plan").asText()).isEqualTo("pro");
        assertThat(event.get("extra").asInt()).isEqualTo(1);
    }

    @Test
    void keepsTheEventIdUserAgentAndIpItWasGiven() {
        String visitor = unique("given");
        TestApi.Reply reply = api.post("/collect", "{\"eventId\":\"e-given\",\"type\":\"click\",\"timestamp\":1764028800000,\"visitorId\":\""
                + visitor + "\",\"userAgent\":\"Server/2\",\"ip\":\"198.51.100.4\"}");
        assertThat(reply.json().get("eventIds").get(0).asText()).isEqualTo("e-given");
        JsonNode event = read(only(visitor).value());
        assertThat(event.get("userAgent").asText()).isEqualTo("Server/2");
        assertThat(event.get("ip").asText()).isEqualTo("198.51.100.4");
    }

    @Test
    void aBatchPublishesTheValidEventsAndExplainsEachRejectedOne() {
        String visitor = unique("batch");
        String batch = "[" + String.join(",",
                "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"" + visitor + "\"}",
                "{\"type\":\"click\",\"timestamp\":1}",
                "{\"type\":\"page_view\",\"timestamp\":1,\"visitorId\":\"" + visitor + "\"}",
                "5",
                "{\"type\":\"click\",\"timestamp\":\"yesterday\",\"visitorId\":\"" + visitor + "\"}",
                "{\"type\":\"signup\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"visitorId\":\"" + visitor + "\",\"userId\":\"u9\"}") + "]";
        TestApi.Reply reply = api.post("/collect", batch);
        assertThat(reply.status()).isEqualTo(202);
        JsonNode body = reply.json();
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("rejected").asInt()).isEqualTo(4);
        List<String> errors = new ArrayList<>();
        body.get("errors").forEach(e -> errors.add(e.get("index").asInt() + ": " + e.get("reason").asText()));
        assertThat(errors).hasSize(4);
        assertThat(errors.get(0)).isEqualTo("1: missing required field 'visitorId'");
        assertThat(errors.get(1)).startsWith("2: missing required field 'url'");
        assertThat(errors.get(2)).isEqualTo("3: not a JSON object");
        assertThat(errors.get(3)).startsWith("4: unreadable timestamp");

        List<ConsumerRecord<String, String>> records = TopicReader.await(kafka, TOPIC, 2, r -> visitor.equals(r.key()), Duration.ofSeconds(10));
        assertThat(records).extracting(r -> read(r.value()).get("type").asText()).containsExactlyInAnyOrder("click", "signup");
    }

    @Test
    void aBodyThatIsNotAnEventOrBatchIsA400() {
        for (String body : new String[] {"not json", "", "42", "\"text\"", "{\"type\":\"click\"} trailing", "{\"type\": "}) {
            TestApi.Reply reply = api.post("/collect", body);
            assertThat(reply.status()).as("body <" + body + ">: " + reply).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).isEqualTo("invalid_json");
        }
    }

    @Test
    void fiveHundredEventsAreAcceptedFiveHundredAndOneAreA413() {
        String visitor = unique("many");
        TestApi.Reply full = api.post("/collect", batchOf(500, visitor));
        assertThat(full.status()).isEqualTo(202);
        assertThat(full.json().get("accepted").asInt()).isEqualTo(500);
        assertThat(TopicReader.await(kafka, TOPIC, 500, r -> visitor.equals(r.key()), Duration.ofSeconds(15))).hasSize(500);

        TestApi.Reply tooMany = api.post("/collect", batchOf(501, unique("toomany")));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.json().get("error").asText()).isEqualTo("too_many_events");
        assertThat(tooMany.json().get("message").asText()).contains("500");
    }

    @Test
    void aBodyOverOneMegabyteIsA413WithOrWithoutContentLength() {
        String visitor = unique("big");
        // A valid event but for its size, so that a body let through would be published: the marker below sees it.
        String big = "{\"type\":\"click\",\"timestamp\":1764028800000,\"visitorId\":\"" + visitor + "\",\"pageTitle\":\"" + "x".repeat(1_048_600) + "\"}";
        TestApi.Reply declared = api.post("/collect", big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().get("error").asText()).isEqualTo("body_too_large");

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        TestApi.Reply chunked = api.send(HttpRequest.newBuilder(URI.create(api.base + "/collect"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
        assertThat(chunked.status()).isEqualTo(413);

        String justUnder = "{\"type\":\"click\",\"timestamp\":1764028800000,\"visitorId\":\"" + visitor + "\",\"pageTitle\":\"" + "y".repeat(900_000) + "\"}";
        assertThat(api.post("/collect", justUnder).status()).isEqualTo(202); // read whole; the event is over its own limit

        // A small event of the same visitor is the marker: same partition, so a big body published before it would
        // be read first.
        assertThat(api.post("/collect", "{\"type\":\"marker\",\"timestamp\":1764028800000,\"visitorId\":\"" + visitor + "\"}")
                .json().get("accepted").asInt()).isEqualTo(1);
        assertThat(TopicReader.await(kafka, TOPIC, 1, r -> visitor.equals(r.key()), Duration.ofSeconds(15)))
                .singleElement().satisfies(r -> assertThat(r.value()).contains("\"marker\""));
    }

    @Test
    void aCompressedBodyIsA415() {
        TestApi.Reply reply = api.post("/collect", "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}", "Content-Encoding", "gzip");
        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.json().get("error").asText()).isEqualTo("unsupported_encoding");
        assertThat(api.post("/collect", "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}", "Content-Encoding", "identity")
                .status()).isEqualTo(202);
    }

    @Test
    void aClientOverItsRateLimitGetsA429WithRetryAfterAndOtherClientsDoNot() {
        // One token an hour: nothing refills while the test runs.
        try (TestApi limited = TestApi.start(es, kafka, "collector-test", TOPIC, "--collector.trusted-proxies", "127.0.0.1",
                "--collector.rate-limit.requests", "1", "--collector.rate-limit.period", "1h", "--collector.rate-limit.burst", "2")) {
            String client = "203.0.113.9";
            assertThat(limited.post("/collect", click(unique("limited")), "X-Forwarded-For", client).status()).isEqualTo(202);
            assertThat(limited.get("/collect/p.gif?type=click&visitorId=" + unique("limited"), "X-Forwarded-For", client).status())
                    .isEqualTo(200);

            TestApi.Reply refused = limited.post("/collect", click(unique("limited")), "X-Forwarded-For", client);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().get("error").asText()).isEqualTo("rate_limited");
            assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Long.parseLong(v)).isBetween(1L, 3600L));
            assertThat(limited.get("/collect/p.gif?type=click&visitorId=v", "X-Forwarded-For", client).status()).isEqualTo(429);

            assertThat(limited.post("/collect", click(unique("other")), "X-Forwarded-For", "203.0.113.10").status()).isEqualTo(202);
            assertThat(limited.get("/webpipe.js", "X-Forwarded-For", client).status()).as("only the collector is limited").isEqualTo(200);
            assertThat(limited.get("/health", "X-Forwarded-For", client).status()).isEqualTo(200);
        }
    }

    @Test
    void thePixelCollectsQueryParametersAndAnswersAGif() {
        String visitor = unique("pixel");
        TestApi.Reply reply = api.get("/collect/p.gif?type=page_view&visitorId=" + visitor
                + "&url=https%3A%2F%2Fshop.example%2Fb&pageTitle=%EB%82%98%EC%9D%B4%ED%82%A4&cb=123", "User-Agent", "PixelAgent");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("image/gif");
        assertThat(new String(reply.bytes(), 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");

        JsonNode event = read(only(visitor).value());
        assertThat(event.get("type").asText()).isEqualTo("page_view");
        assertThat(event.get("url").asText()).isEqualTo("https://shop.example/b");
        assertThat(event.get("pageTitle").asText()).isEqualTo("나이키");
        assertThat(event.get("timestamp").asLong()).isGreaterThan(1_700_000_000_000L);
        assertThat(event.get("eventId").asText()).isNotBlank();
        assertThat(event.get("userAgent").asText()).isEqualTo("PixelAgent");
        assertThat(event.has("cb")).isFalse();

        TestApi.Reply rejected = api.get("/collect/p.gif?type=page_view&visitorId=" + visitor);
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.headers().firstValue("Content-Type")).hasValue("image/gif");
        assertThat(rejected.headers().firstValue("X-Webpipe-Rejected")).hasValueSatisfying(v -> assertThat(v).contains("'url'"));
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        String direct = unique("direct");
        api.post("/collect", "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"" + direct + "\"}", "X-Forwarded-For", "203.0.113.7");
        assertThat(read(only(direct).value()).get("ip").asText()).isEqualTo("127.0.0.1");

        try (TestApi proxied = TestApi.start(es, kafka, "collector-test", TOPIC, "--collector.trusted-proxies", "127.0.0.1, 10.0.0.0/8")) {
            String viaProxy = unique("proxied");
            proxied.post("/collect", "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"" + viaProxy + "\"}",
                    "X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.1.2.3");
            assertThat(read(only(viaProxy).value()).get("ip").asText()).isEqualTo("203.0.113.7");
        }
    }

    @Test
    void corsAnswersAllowedOrigins() {
        TestApi.Reply preflight = api.send(HttpRequest.newBuilder(URI.create(api.base + "/collect"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()), "Origin", "https://shop.example",
                "Access-Control-Request-Method", "POST");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(m -> assertThat(m).contains("POST"));

        try (TestApi restricted = TestApi.start(es, kafka, "collector-test", TOPIC, "--collector.cors-origins", "https://shop.example")) {
            String body = "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"" + unique("cors") + "\"}";
            assertThat(restricted.post("/collect", body, "Origin", "https://shop.example").headers()
                    .firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example");
            assertThat(restricted.post("/collect", body, "Origin", "https://evil.example").headers()
                    .firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    private static String click(String visitor) {
        return "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"" + visitor + "\"}";
    }

    private static String batchOf(int n, String visitor) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"type\":\"click\",\"timestamp\":").append(1_764_028_800_000L + i)
                    .append(",\"visitorId\":\"").append(visitor).append("\"}");
        }
        return b.append(']').toString();
    }

    private static ConsumerRecord<String, String> only(String visitor) {
        List<ConsumerRecord<String, String>> records = TopicReader.await(kafka, TOPIC, 1, r -> visitor.equals(r.key()), Duration.ofSeconds(10));
        assertThat(records).as("records of " + visitor).hasSize(1);
        return records.get(0);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
