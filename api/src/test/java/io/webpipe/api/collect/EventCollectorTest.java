package io.webpipe.api.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.webpipe.api.http.ApiException;
import io.webpipe.api.metrics.CollectorMetrics;
import io.webpipe.schema.EventContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Outcomes event by event, on a producer that stores some records and not others. */
class EventCollectorTest {
    private static final EventCollector.Origin ORIGIN = new EventCollector.Origin("Agent/1", "192.0.2.1");

    /** Stores every record except those keyed "kafka-refuses" (failed acknowledgement) and "send-throws" (refused at once). */
    private static final class PickyProducer extends MockProducer<String, byte[]> {
        PickyProducer() {
            super(true, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            if ("kafka-refuses".equals(record.key())) {
                return CompletableFuture.failedFuture(new RecordTooLargeException("too large"));
            }
            if ("send-throws".equals(record.key())) {
                throw new KafkaException("no metadata");
            }
            return super.send(record, callback);
        }
    }

    private final PickyProducer producer = new PickyProducer();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CollectorMetrics metrics = new CollectorMetrics(registry);
    private final EventCollector collector = new EventCollector(new EventPublisher(producer, "t", Duration.ofSeconds(5), metrics),
            new EventContract(EventContract.DEFAULT_MAX_FUTURE_SKEW), metrics);

    @Test
    void aPartlyStoredBatchSaysWhichEventsAreStoredRejectedAndFailed() {
        EventCollector.CollectResult result = collect("["
                + event("a", "v1") + ","
                + "{\"type\":\"click\"},"
                + event("b", "kafka-refuses") + ","
                + event("c", "v2") + "]");

        assertThat(result.eventIds).containsExactly("a", "c");
        assertThat(result.errors).extracting(EventCollector.CollectResult.Rejection::index).containsExactly(1);
        assertThat(result.failures).hasSize(1);
        assertThat(result.failures.get(0).index()).isEqualTo(2);
        assertThat(result.failures.get(0).eventId()).isEqualTo("b");
        assertThat(result.failures.get(0).reason()).contains("RecordTooLargeException");
        assertThat(result.accepted).isEqualTo(2);
        assertThat(result.rejected).isEqualTo(1);
        assertThat(result.failed).isEqualTo(1);
        assertThat(producer.history()).hasSize(2);

        assertThat(result.markUnconfirmed()).isTrue();
        assertThat(result.error).isEqualTo("unavailable");
        assertThat(result.message).contains("did not confirm 1 of 3").contains("2 are stored");

        assertThat(events("accepted")).isEqualTo(2);
        assertThat(events("rejected")).isEqualTo(1);
        assertThat(events("failed")).isEqualTo(1);
        assertThat(producerErrors("not_stored")).isEqualTo(1);
        assertThat(producerErrors("refused")).isZero();
    }

    @Test
    void aSendThatFailsAtOnceFailsTheRestOfTheBatchButNotWhatWasSentBefore() {
        EventCollector.CollectResult result = collect("[" + event("a", "v1") + "," + event("b", "send-throws") + ","
                + event("c", "v2") + "]");
        assertThat(result.eventIds).containsExactly("a");
        assertThat(result.failures).extracting(EventCollector.CollectResult.Failure::eventId).containsExactly("b", "c");
        assertThat(result.failures.get(1).reason()).contains("KafkaException");
        assertThat(producerErrors("refused")).isEqualTo(2);
        assertThat(events("failed")).isEqualTo(2);
    }

    @Test
    void aFullyStoredBatchIsNoError() {
        EventCollector.CollectResult result = collect("[" + event("a", "v1") + "]");
        assertThat(result.markUnconfirmed()).isFalse();
        assertThat(result.error).isNull();
        assertThat(result.eventIds).containsExactly("a");
    }

    @Test
    void anEventLargerThanTheContractAllowsOnceCompletedIsRefusedAndNotSent() {
        // Just under the limit as sent; the user agent and ip the collector adds push it over.
        String padding = "x".repeat(EventContract.MAX_EVENT_BYTES - 100);
        EventCollector.CollectResult result = collect("{\"eventId\":\"big\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\","
                + "\"properties\":{\"p\":\"" + padding + "\"}}");
        assertThat(result.errors).hasSize(1);
        assertThat(result.errors.get(0).reason()).startsWith("event larger than " + EventContract.MAX_EVENT_BYTES + " bytes");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void anEventTooFarInTheFutureIsRefusedWithinTheSkewAccepted() {
        long now = System.currentTimeMillis();
        EventCollector.CollectResult result = collect("[" + eventAt("late", now + Duration.ofHours(1).toMillis()) + ","
                + eventAt("soon", now + Duration.ofMinutes(1).toMillis()) + "]");
        assertThat(result.eventIds).containsExactly("soon");
        assertThat(result.errors.get(0).reason()).contains("in the future");
    }

    @Test
    void floatsStayFloatsAsSentEvenOutOfRangeOfADouble() {
        EventCollector.CollectResult result = collect("[{\"eventId\":\"a\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":1e400},"
                + "{\"eventId\":\"b\",\"type\":\"click\",\"timestamp\":-1e400,\"visitorId\":\"v\"},"
                + "{\"eventId\":\"d\",\"type\":\"click\",\"timestamp\":-0.0,\"visitorId\":\"v\"},"
                + "{\"eventId\":\"c\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\",\"properties\":{\"x\":1e400}}]");
        String notMillis = "unreadable timestamp: expected ISO-8601 string or epoch milliseconds, got NUMBER";
        assertThat(result.errors).extracting(EventCollector.CollectResult.Rejection::reason)
                .containsExactly("field 'visitorId' must be a string", notMillis, notMillis);
        assertThat(result.eventIds).containsExactly("c");
    }

    @Test
    void duplicateKeysTrailingDataAndDeepNestingAreNotJson() {
        for (String body : new String[] {
            "{\"type\":\"click\",\"type\":\"page_view\",\"timestamp\":1,\"visitorId\":\"v\"}",
            "{\"type\":\"click\"} {}",
            "[{\"properties\":" + "{\"a\":".repeat(10) + "1" + "}".repeat(10) + "}]"}) {
            assertThatThrownBy(() -> collector.parse(body.getBytes()))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo("invalid_json"));
        }
        // UTF-16: Jackson alone would read it.
        byte[] utf16 = "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}".getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> collector.parse(utf16))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo("invalid_json"));
    }

    private double events(String outcome) {
        return registry.get("webpipe.collector.events").tag("outcome", outcome).counter().count();
    }

    private double producerErrors(String kind) {
        return registry.get("webpipe.collector.producer.errors").tag("kind", kind).counter().count();
    }

    private EventCollector.CollectResult collect(String body) {
        return collector.collect(collector.parse(body.getBytes()), ORIGIN);
    }

    private static String event(String eventId, String visitor) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"click\",\"timestamp\":1764028800000,\"visitorId\":\"" + visitor + "\"}";
    }

    private static String eventAt(String eventId, long timestamp) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"click\",\"timestamp\":" + timestamp + ",\"visitorId\":\"v\"}";
    }
}
