package io.webpipe.job.upgrade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.job.session.SessionIds;
import io.webpipe.schema.EventContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The frozen stream of the savepoint upgrade test. The v1 savepoint in
 * {@code src/test/resources/upgrade/v1-savepoint/} holds Kafka offsets and open sessions of exactly
 * this stream's first part: never change anything here (seed, counts, topic, partitioning, record
 * layout), or the fixture no longer matches. A new fixture needs a new stream class.
 *
 * <p>In event-time order, no disorder: 150 visitors over six hours of event time, one to three
 * sessions each (at least {@code GAP + 1 ms} apart), one to twenty events per session. Each record goes
 * to an explicit partition, so producing the first part again gives the same offsets.
 */
final class UpgradeStream {
    static final long SEED = 20261101L;
    static final int VISITORS = 150;
    static final String TOPIC = "web-log-upgrade";
    static final int PARTITIONS = 3;
    static final Duration GAP = Duration.ofMinutes(30);
    static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");
    /** Events before this event time are the first part (before the savepoint). */
    static final Instant SPLIT = BASE.plus(Duration.ofHours(3));

    /** One record with its partition. */
    static final class Record {
        final int partition;
        final String key;
        final String value;
        final long timestamp;

        Record(int partition, String key, String value, long timestamp) {
            this.partition = partition;
            this.key = key;
            this.value = value;
            this.timestamp = timestamp;
        }
    }

    /** What the session documents of the whole stream must hold. */
    static final class Session {
        String visitorId;
        long start;
        long end;
        int eventCount;
        int pageViews;
    }

    final List<Record> records = new ArrayList<>();
    /** sessionId -> expected session. */
    final Map<String, Session> sessions = new LinkedHashMap<>();

    UpgradeStream() {
        Random random = new Random(SEED);
        ObjectMapper json = new ObjectMapper();
        for (int v = 0; v < VISITORS; v++) {
            String visitorId = String.format("upgrade-visitor-%04d", v);
            int partition = v % PARTITIONS;
            long t = BASE.toEpochMilli() + random.nextInt(5 * 3600) * 1000L;
            int eventNo = 0;
            int sessionCount = 1 + random.nextInt(3);
            for (int s = 0; s < sessionCount; s++) {
                if (s > 0) {
                    t += GAP.toMillis() + 1 + random.nextInt(2 * 3600) * 1000L;
                }
                int n = 1 + random.nextInt(20);
                Session session = new Session();
                session.visitorId = visitorId;
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        t += 1000 + random.nextInt(300_000);
                    }
                    String eventId = visitorId + "-" + eventNo++;
                    boolean pageView = random.nextInt(4) > 0;
                    ObjectNode e = json.createObjectNode();
                    e.put(EventContract.EVENT_ID, eventId);
                    e.put(EventContract.TYPE, pageView ? EventContract.PAGE_VIEW : EventContract.CLICK);
                    e.put(EventContract.TIMESTAMP, t);
                    e.put(EventContract.VISITOR_ID, visitorId);
                    if (pageView) {
                        int page = random.nextInt(30);
                        e.put(EventContract.URL, "https://shop.example/p/" + page);
                        e.put(EventContract.PAGE_ID, "p" + page);
                        e.put(EventContract.PAGE_TITLE, "Page " + page);
                    }
                    records.add(new Record(partition, visitorId, e.toString(), t));
                    if (i == 0) {
                        session.start = t;
                        sessions.put(SessionIds.of(visitorId, t, eventId), session);
                    }
                    session.end = t;
                    session.eventCount++;
                    session.pageViews += pageView ? 1 : 0;
                }
            }
        }
        records.sort(Comparator.comparingLong(r -> r.timestamp)); // stable: ties keep generation order
    }

    /** Sends {@code records} in order, each to its partition; returns once all are acknowledged. */
    static void produce(String bootstrapServers, List<Record> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Record r : records) {
                producer.send(new ProducerRecord<>(TOPIC, r.partition, r.key, r.value));
            }
            producer.flush();
        }
    }

    List<Record> firstPart() {
        return records.stream().filter(r -> r.timestamp < SPLIT.toEpochMilli()).toList();
    }

    List<Record> secondPart() {
        return records.stream().filter(r -> r.timestamp >= SPLIT.toEpochMilli()).toList();
    }
}
