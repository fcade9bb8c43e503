package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.webpipe.api.collect.EventPublisher;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.LocalInfra;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A stop lets the request in flight finish and answer, then stops listening; a restart takes the port again. */
@ExtendWith(LocalInfra.class)
class ShutdownTest {

    @Test
    void aRequestInFlightIsAnsweredBeforeTheServerStops(ElasticsearchNode es) throws Exception {
        // Kafka that never answers keeps the collector request in flight for the publish timeout.
        TestApi api = TestApi.start(es.httpUrl(), "127.0.0.1:" + HealthTest.closedPort(), "shutdown-test", "shutdown-test",
                "--kafka.publish-timeout", "2s", "--api.shutdown-timeout", "10s");
        CompletableFuture<TestApi.Reply> inFlight = CompletableFuture.supplyAsync(
                () -> api.post("/collect", "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}"));
        await("the collector request waiting for Kafka").atMost(Duration.ofSeconds(30))
                .until(() -> !threadsPublishingToKafka().isEmpty());
        api.close();
        assertThat(threadsPublishingToKafka()).as("the stop waited for the request").isEmpty();

        TestApi.Reply reply = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(reply.status()).isEqualTo(503); // answered (Kafka timed out), not cut off
        assertThatThrownBy(() -> api.get("/health")).isInstanceOf(UncheckedIOException.class);

        // A restart can take the same port at once.
        int port = api.server.port();
        try (TestApi again = TestApi.start(es.httpUrl(), "127.0.0.1:" + HealthTest.closedPort(), "shutdown-test", "shutdown-test",
                "--api.port", String.valueOf(port))) {
            assertThat(again.server.port()).isEqualTo(port);
            assertThat(again.get("/api/sessions").status()).isEqualTo(200);
        }
    }

    /** The threads inside the collector's publish: a request in flight, waiting for Kafka's acknowledgement. */
    private static List<Thread> threadsPublishingToKafka() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().equals(EventPublisher.class.getName())))
                .map(Map.Entry::getKey)
                .toList();
    }
}
