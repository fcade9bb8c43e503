package io.webpipe.api.collect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes accepted events to {@code web-log} and waits until Kafka has acknowledged all of them
 * ({@code acks=all}, idempotent producer), so the collector answers only for events that are stored.
 */
public final class EventPublisher implements AutoCloseable {
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Duration timeout;

    public EventPublisher(String bootstrapServers, String topic, Duration timeout) {
        this(new KafkaProducer<>(config(bootstrapServers, timeout), new StringSerializer(), new ByteArraySerializer()), topic, timeout);
    }

    EventPublisher(Producer<String, byte[]> producer, String topic, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.timeout = timeout;
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

    /** Sends every event and returns once all are acknowledged; throws {@link PublishException} otherwise. */
    public void publishAll(List<OutgoingEvent> events) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (OutgoingEvent e : events) {
                acks.add(producer.send(new ProducerRecord<>(topic, e.key(), e.value())));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            throw new PublishException("Kafka did not store the events: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("Kafka did not acknowledge within " + timeout.toMillis() + " ms", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new PublishException("Kafka refused the events: " + e, e);
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

    /** The events could not be stored in Kafka; the caller should retry. */
    public static final class PublishException extends RuntimeException {
        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
