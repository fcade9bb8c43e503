package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.webpipe.api.http.Json;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real headless Chromium loads a page of another origin that includes webpipe.js: the tracker's
 * page_view and the click on a marked link arrive in Kafka with one cookie-kept visitor id.
 *
 * <p>Needs Debian's {@code chromium} package at /usr/bin/chromium (or {@code -Dwebpipe.chromium=PATH}).
 * Without it the test fails, except in local development runs with {@code -Dwebpipe.skipBrowserTest=true}.
 */
@ExtendWith(LocalInfra.class)
class TrackerBrowserTest {
    private static final String TOPIC = "tracker-browser-test";
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(45);

    /** Before the local servers start: a missing browser is reported at once. */
    @BeforeAll
    static void requireChromium() {
        Chromium.require();
    }

    @Test
    void aPageWithTheTrackerSendsPageViewAndClick(ElasticsearchNode es, KafkaBroker kafka, @TempDir Path tmp) throws Exception {
        kafka.createTopic(TOPIC, 1);
        String pageTitle = "Tracker test " + UUID.randomUUID();
        try (TestApi api = TestApi.start(es, kafka, "tracker-browser-test", TOPIC)) {
            HttpServer site = site(api.server.port(), pageTitle);
            Process browser = null;
            try {
                String pageUrl = "http://localhost:" + site.getAddress().getPort() + "/shop/index.html";
                List<String> command = new ArrayList<>(List.of(Chromium.PATH.toString(), "--headless"));
                command.addAll(Chromium.QUIET);
                command.addAll(List.of("--user-data-dir=" + Files.createDirectories(tmp.resolve("profile")), pageUrl));
                browser = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("chromium.log").toFile())
                        .start();

                List<ConsumerRecord<String, String>> records = TopicReader.await(kafka, TOPIC, 2,
                        r -> r.value().contains(pageTitle), ARRIVAL_TIMEOUT);
                assertThat(records).as("tracker events from Chromium; its output: %s", Chromium.log(tmp)).hasSize(2);

                JsonNode pageView = event(records, "page_view");
                JsonNode click = event(records, "click");
                assertThat(pageView.get("url").asText()).isEqualTo(pageUrl);
                assertThat(pageView.get("pageId").asText()).isEqualTo("shop-index");
                assertThat(pageView.get("userAgent").asText()).contains("Chrome");
                assertThat(pageView.get("ip").asText()).isEqualTo("127.0.0.1");
                assertThat(pageView.get("timestamp").asText()).endsWith("Z");
                assertThat(pageView.get("visitorId").asText()).isNotBlank();
                assertThat(click.get("visitorId").asText()).isEqualTo(pageView.get("visitorId").asText());
                assertThat(click.get("properties").get("label").asText()).isEqualTo("buy");
                assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(pageView.get("visitorId").asText()));
            } finally {
                if (browser != null) {
                    browser.descendants().forEach(ProcessHandle::destroy);
                    browser.destroy();
                    browser.waitFor();
                }
                site.stop(0);
            }
        }
    }

    /** A site on its own origin whose page includes the tracker from the API and clicks a marked link once loaded. */
    private static HttpServer site(int apiPort, String title) throws IOException {
        String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>"
                + "<a id=\"buy\" href=\"#bought\" data-webpipe-click=\"buy\">Buy</a>"
                + "<script src=\"http://127.0.0.1:" + apiPort + "/webpipe.js\" data-page-id=\"shop-index\"></script>"
                + "<script>window.addEventListener('load', function () {"
                + " setTimeout(function () { document.getElementById('buy').click(); }, 200); });</script>"
                + "</body></html>";
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/shop/index.html", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static JsonNode event(List<ConsumerRecord<String, String>> records, String type) {
        return records.stream().map(r -> read(r.value())).filter(e -> type.equals(e.get("type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event in " + records));
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
