package io.webpipe.job.bench;

import io.webpipe.schema.Pipeline;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Page views of synthetic visitors into the stack's {@code web-log}, keyed by visitor as the collector publishes
 * them, timestamped with the wall clock at sending: a fast producer (large lz4 batches; acks=all, as the stack's
 * topics have one replica that is the leader anyway). A hundred pages and a few user agents, so that the page
 * catalogue and the user-agent parser see realistic repetition.
 */
final class ScaleTraffic implements AutoCloseable {
    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    };
    private final KafkaProducer<byte[], byte[]> producer;

    ScaleTraffic(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L << 20));
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The {@code n}-th (from 0) page view of {@code visitor}, now; fails loudly when Kafka refuses it. */
    void send(String visitor, long visitorNumber, int n) {
        byte[] key = visitor.getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(Pipeline.EVENTS_TOPIC, key, event(visitor, visitorNumber, n, System.currentTimeMillis())),
                (metadata, failure) -> {
                    if (failure != null) {
                        failure.printStackTrace();
                        System.exit(1);
                    }
                });
    }

    static byte[] event(String visitor, long visitorNumber, int n, long timestampMs) {
        long page = (visitorNumber * 7 + n) % 100;
        String referrer = n == 0 && visitorNumber % 2 == 0 ? ",\"referrer\":\"https://www.google.com/\"" : "";
        return ("{\"eventId\":\"" + visitor + "-" + n + "\",\"type\":\"page_view\",\"timestamp\":" + timestampMs
                + ",\"visitorId\":\"" + visitor + "\",\"url\":\"https://shop.example/products/p" + page
                + "?utm_source=scale\",\"pageId\":\"p" + page + "\",\"pageTitle\":\"Product " + page + "\"" + referrer
                + ",\"userAgent\":\"" + USER_AGENTS[(int) (visitorNumber % USER_AGENTS.length)] + "\",\"ip\":\"203.0.113."
                + visitorNumber % 250 + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
