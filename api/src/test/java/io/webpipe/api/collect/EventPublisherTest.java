package io.webpipe.api.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.webpipe.api.metrics.CollectorMetrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventPublisherTest {

    @Test
    void producerIsIdempotentAndWaitsForAllReplicas() {
        Properties p = EventPublisher.config("localhost:9092", Duration.ofSeconds(10));
        assertThat(p.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
        assertThat(p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo("true");
    }

    /** Kafka refuses a producer whose delivery timeout is below linger + request timeout. */
    @ParameterizedTest
    @ValueSource(longs = {100, 1000, 1500, 10_000, 120_000})
    void timeoutsAreConsistentForAnyPublishTimeout(long millis) {
        Properties p = EventPublisher.config("localhost:9092", Duration.ofMillis(millis));
        long delivery = Long.parseLong((String) p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        long request = Long.parseLong((String) p.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        long linger = Long.parseLong((String) p.get(ProducerConfig.LINGER_MS_CONFIG));
        assertThat(delivery).isGreaterThanOrEqualTo(linger + request);
        new EventPublisher("localhost:1", "t", Duration.ofMillis(millis), new CollectorMetrics(new SimpleMeterRegistry())).close();
    }
}
