package io.webpipe.job.bench;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.JobConfig;
import io.webpipe.job.session.SessionDocuments;
import io.webpipe.job.session.SessionSummary;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.SessionStore;

/**
 * The peer a Kafka shop would write instead of the job, as its own JVM: the same topic, the same contract
 * ({@link EventContract}), event-time sessions with {@code SessionWindows.ofInactivityGapAndGrace(gap,
 * lateness)}, each {@code eventId} once, a {@link SessionSummary} per session kept incrementally as the job keeps
 * it, the same document ({@link SessionDocuments}, then JSON as the job writes it) into a discarding sink. Kafka Streams defaults otherwise: RocksDB session store (its in-memory one
 * measured 6x slower here), at-least-once, its record cache, a changelog topic for the session store (its fault
 * tolerance, as checkpoints are the job's).
 *
 * <p>Arguments: bootstrap servers, topic, number of records in the topic, gap and lateness in ms.
 * Per round ({@link SessionBench#ROUNDS}: the first in a cold JVM) marks {@code running N} (the first
 * rebalance is done) and {@code finished N} (every record processed and the caches flushed by close), then
 * prints the documents built.
 */
public final class KafkaStreamsSessions {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** As the job's window function writes documents. */
    private static final ObjectMapper DOCUMENTS = new ObjectMapper();

    private KafkaStreamsSessions() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long records = Long.parseLong(args[2]);
        Duration gap = Duration.ofMillis(Long.parseLong(args[3]));
        Duration lateness = Duration.ofMillis(Long.parseLong(args[4]));

        // Each round reads the whole topic again (an application id of its own) in the same, warmer JVM.
        int rounds = SessionBench.ROUNDS;
        for (int round = 1; round <= rounds; round++) {
            run(round, bootstrap, topic, records, gap, lateness);
        }
    }

    private static void run(int round, String bootstrap, String topic, long records, Duration gap, Duration lateness)
            throws IOException, InterruptedException {
        AtomicLong seen = new AtomicLong();
        AtomicLong documents = new AtomicLong();
        AtomicLong superseded = new AtomicLong();
        // One per stream thread, as the job has one per task (it keeps per-thread caches).
        ThreadLocal<SessionDocuments> builders = ThreadLocal.withInitial(() -> SessionDocuments.of(JobConfig.load(Map.of())));

        StreamsBuilder topology = new StreamsBuilder();
        topology.stream(topic, Consumed.with(Serdes.String(), Serdes.serdeFrom(neverWritten(), decoder())).withTimestampExtractor(eventTime(seen)))
                .peek((visitor, event) -> seen.incrementAndGet())
                .filter((visitor, event) -> event != null)
                // Records are keyed by visitorId (the contract), so no repartition topic is needed.
                .groupByKey()
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(gap, lateness))
                .aggregate(PeerSession::new,
                        (visitor, event, session) -> session.add(event),
                        (visitor, a, b) -> a.merge(b),
                        Materialized.<String, PeerSession, SessionStore<Bytes, byte[]>>as("sessions")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(sessionSerde()))
                .toStream()
                .foreach((window, session) -> {
                    if (session == null) {
                        superseded.incrementAndGet(); // a merged session's old window: the sink would delete its document
                        return;
                    }
                    SessionDocument doc = builders.get().build(session.summary, Instant.now());
                    discard(doc);
                    documents.incrementAndGet();
                });

        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-kstreams-sessions-" + round);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        Path stateDir = Files.createTempDirectory("bench-kstreams-");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        try (KafkaStreams streams = new KafkaStreams(topology.build(), p)) {
            AtomicBoolean running = new AtomicBoolean();
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING && running.compareAndSet(false, true)) {
                    Mark.reached("running " + round);
                }
            });
            streams.start();
            while (seen.get() < records) {
                Thread.sleep(10);
            }
            streams.close(Duration.ofMinutes(1)); // commits and flushes the caches: the last documents are built here
        }
        FileUtils.deleteDirectory(stateDir.toFile()); // its state stores: each round's stayed in /tmp
        Mark.reached("finished " + round);
        System.out.printf("%d records, %d documents built (updates included), %d superseded%n", seen.get(), documents.get(), superseded.get());
    }

    /** Accepted events, or null for a record the contract refuses (dropped, as the job dead-letters it). */
    private static Deserializer<WebEvent> decoder() {
        EventContract contract = new EventContract(EventContract.DEFAULT_MAX_FUTURE_SKEW);
        return (topic, value) -> {
            EventContract.Decoded decoded = contract.decode(value, System.currentTimeMillis());
            return decoded.isAccepted() ? decoded.event() : null;
        };
    }

    private static Serializer<WebEvent> neverWritten() {
        return (topic, event) -> {
            throw new UnsupportedOperationException("events are only read");
        };
    }

    /** Event time; a refused record keeps its partition's time (it is dropped next) and counts as seen if it cannot. */
    private static TimestampExtractor eventTime(AtomicLong seen) {
        return (ConsumerRecord<Object, Object> record, long partitionTime) -> {
            if (record.value() instanceof WebEvent e) {
                return e.timestamp;
            }
            if (partitionTime < 0) {
                seen.incrementAndGet(); // Kafka Streams skips records with a negative time before the topology
            }
            return partitionTime;
        };
    }

    /**
     * The peer's session: the job's {@link SessionSummary}, kept incrementally as the job keeps it, and the session's
     * event ids, since nothing in front of the peer drops redelivered events (copies carry their original's time, so
     * they land in its session).
     */
    static final class PeerSession {
        public SessionSummary summary = new SessionSummary();
        public HashSet<String> eventIds = new HashSet<>();

        PeerSession add(WebEvent event) {
            if (eventIds.add(event.eventId)) {
                summary.add(event);
            }
            return this;
        }

        PeerSession merge(PeerSession other) {
            eventIds.addAll(other.eventIds);
            summary.merge(other.summary);
            return this;
        }
    }

    private static Serde<PeerSession> sessionSerde() {
        return Serdes.serdeFrom(
                (topic, events) -> write(events),
                (topic, bytes) -> bytes == null ? null : read(bytes));
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PeerSession read(byte[] bytes) {
        try {
            return JSON.readValue(bytes, PeerSession.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sink: the JSON the job would send, then nothing. */
    private static void discard(SessionDocument doc) {
        try {
            if (DOCUMENTS.writeValueAsString(doc).isEmpty()) {
                throw new IllegalStateException("empty document");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
