package io.webpipe.api.collect;

import io.webpipe.api.metrics.CollectorMetrics;
import io.webpipe.api.metrics.CollectorMetrics.ProducerError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes accepted events to {@code web-log} and waits for Kafka's acknowledgement of each
 * ({@code acks=all}, idempotent producer), so the collector tells, event by event, what is stored. Each
 * event Kafka did not confirm is counted by its kind of error.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Duration timeout;
    private final CollectorMetrics metrics;

    public EventPublisher(String bootstrapServers, String topic, Duration timeout, CollectorMetrics metrics) {
        this(new KafkaProducer<>(config(bootstrapServers, timeout), new StringSerializer(), new ByteArraySerializer()), topic, timeout,
                metrics);
    }

    EventPublisher(Producer<String, byte[]> producer, String topic, Duration timeout, CollectorMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    static Properties config(String bootstrapServers, Duration timeout) {
        long timeoutMs = timeout.toMillis();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "webpipe-collector");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // A request never waits longer than the collector's own answer deadline.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMs));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1000, timeoutMs / 2)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeoutMs, 1000 + timeoutMs / 2 + 5)));
        return p;
    }

    /**
     * Sends every event and waits, at most until the publish timeout, for Kafka's acknowledgements.
     * Returns, in the order of {@code events}, null for each event Kafka stored and the reason for
     * each it did not confirm (refused, or not acknowledged in time: such an event may still be
     * stored, so a retry must reuse its eventId). Never throws: part of a batch can be stored.
     */
    public List<String> publishAll(List<OutgoingEvent> events) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        String notSent = null;
        for (OutgoingEvent e : events) {
            if (notSent == null) {
                try {
                    acks.add(producer.send(new ProducerRecord<>(topic, e.key(), e.value())));
                    continue;
                } catch (KafkaException ex) {
                    // Thrown at once (no metadata within the timeout, producer closed): the rest would fail alike.
                    notSent = "Kafka refused the event: " + ex.getClass().getSimpleName();
                }
            }
            acks.add(null);
        }
        List<String> failures = new ArrayList<>(events.size());
        for (Future<RecordMetadata> ack : acks) {
            if (ack == null) {
                metrics.producerError(ProducerError.REFUSED);
                failures.add(notSent);
            } else {
                failures.add(await(ack, deadline));
            }
        }
        long failed = failures.stream().filter(Objects::nonNull).count();
        if (failed > 0) {
            LOG.warn("Kafka did not confirm {} of {} events: {}", failed, events.size(),
                    failures.stream().filter(Objects::nonNull).findFirst().orElseThrow());
        }
        return failures;
    }

    /** Null once Kafka acknowledged the record, else why not (and counted). */
    private String await(Future<RecordMetadata> ack, long deadline) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            metrics.producerError(ProducerError.INTERRUPTED);
            return "interrupted while waiting for Kafka";
        } catch (ExecutionException e) {
            metrics.producerError(ProducerError.NOT_STORED);
            return "Kafka did not store the event: " + e.getCause().getClass().getSimpleName();
        } catch (TimeoutException e) {
            metrics.producerError(ProducerError.TIMEOUT);
            return "Kafka did not acknowledge the event within " + timeout.toMillis() + " ms";
        }
    }

    /** Flushes what is buffered, then closes. */
    @Override
    public void close() {
        producer.flush();
        producer.close(Duration.ofSeconds(30));
    }

    /** One record for {@code web-log}: key = visitorId, value = the event JSON. */
    public record OutgoingEvent(String key, byte[] value) {}
}
