package io.webpipe.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.api.http.Json;
import io.webpipe.config.Settings;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@link ApiServer} on a free port of 127.0.0.1 and an HTTP client for it. */
final class TestApi implements AutoCloseable {
    final ApiServer server;
    final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestApi(ApiServer server) {
        this.server = server;
        this.base = "http://127.0.0.1:" + server.port();
    }

    /** A server on the local Elasticsearch node and Kafka broker, reading {@code alias} and writing {@code topic}. */
    static TestApi start(ElasticsearchNode es, KafkaBroker kafka, String alias, String topic, String... extra) {
        return start(es.httpUrl(), kafka.bootstrapServers(), alias, topic, extra);
    }

    /** A server as {@link #start(ElasticsearchNode, KafkaBroker, String, String, String...)} whose clock stands still at {@code now}. */
    static TestApi startAt(Instant now, ElasticsearchNode es, KafkaBroker kafka, String alias, String topic, String... extra) {
        return new TestApi(ApiServer.start(settings(es.httpUrl(), kafka.bootstrapServers(), alias, topic, extra), Clock.fixed(now, ZoneOffset.UTC)));
    }

    static TestApi start(String esUrl, String bootstrapServers, String alias, String topic, String... extra) {
        return new TestApi(ApiServer.start(settings(esUrl, bootstrapServers, alias, topic, extra)));
    }

    private static Settings settings(String esUrl, String bootstrapServers, String alias, String topic, String... extra) {
        List<String> args = new ArrayList<>(List.of("--api.host", "127.0.0.1", "--api.port", "0",
                "--elasticsearch.url", esUrl, "--kafka.bootstrap-servers", bootstrapServers,
                "--elasticsearch.sessions-alias", alias, "--kafka.topic", topic, "--api.shutdown-timeout", "2s"));
        args.addAll(List.of(extra));
        return Settings.load(ApiServer.DEFAULTS, args.toArray(String[]::new), Map.of());
    }

    Reply get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    /** GET that must answer 200 with JSON. */
    JsonNode ok(String path, String... headers) {
        Reply reply = get(path, headers);
        if (reply.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + reply);
        }
        return reply.json();
    }

    /** A request sent byte for byte (for what java.net.http refuses to send, like a malformed URI). */
    Reply raw(String method, String target) {
        return RawHttp.exchange(server.port(), method, target.getBytes(StandardCharsets.UTF_8), List.of(), null);
    }

    Reply post(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    Reply send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> r = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    record Reply(int status, byte[] bytes, HttpHeaders headers) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body(), e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }
}
