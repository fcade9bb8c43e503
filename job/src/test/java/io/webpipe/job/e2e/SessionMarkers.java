package io.webpipe.job.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.job.JobConfig;
import io.webpipe.schema.EventContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A positive marker for "everything sent before is in Elasticsearch", instead of waiting a while for
 * anything more (a doubled or stale document) to show.
 *
 * <p>One marker visitor per {@code sessionize} subtask (a visitor id whose key group lands on it), each
 * sent one event on every partition of the input, all at one event time later than anything sent before.
 * A marker session is complete (an event from every partition) only once its subtask has processed every
 * partition up to the marker, so everything sent before it (one partition reaches one subtask over one
 * FIFO channel); it is final only once event time passes it, so after every earlier session of the
 * subtask was finally fired; and a subtask's writes reach Elasticsearch in order (released per
 * checkpoint in order, bulks sent one after the other, one shard). So once every marker session is in
 * Elasticsearch complete and final, whatever the job wrote for the events before it is there too.
 */
public final class SessionMarkers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VISITOR_PREFIX = "session-marker-";

    private final JobConfig config;
    private final int partitions;
    private final List<String> visitors = new ArrayList<>();

    /**
     * Markers for the job of {@code config}, whose parallelism must be set (not the cluster's default), on
     * its input topic of {@code partitions}.
     */
    public SessionMarkers(JobConfig config, int partitions) {
        if (config.parallelism <= 0) {
            throw new IllegalArgumentException("markers need the job's parallelism, found " + config.parallelism);
        }
        this.config = config;
        this.partitions = partitions;
        for (int n = 0; visitors.size() < config.parallelism; n++) {
            String visitor = VISITOR_PREFIX + n;
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(visitor, config.maxParallelism, config.parallelism)
                    == visitors.size()) {
                visitors.add(visitor);
            }
        }
    }

    /** Sends every marker event to the job's input at event time {@code timestamp}; returns once Kafka has them all. */
    public void send(long timestamp) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String visitor : visitors) {
                for (int partition = 0; partition < partitions; partition++) {
                    ObjectNode event = JSON.createObjectNode()
                            .put(EventContract.EVENT_ID, visitor + "-" + partition)
                            .put(EventContract.TYPE, EventContract.CLICK) // no page view: the page catalogue is untouched
                            .put(EventContract.TIMESTAMP, timestamp)
                            .put(EventContract.VISITOR_ID, visitor);
                    producer.send(new ProducerRecord<>(config.topic, partition, visitor, event.toString()));
                }
            }
            producer.flush();
        }
    }

    /**
     * Waits until every marker session is in Elasticsearch, complete and final, then returns the session
     * documents without the markers'.
     */
    public Map<String, JsonNode> awaitSessions(Elasticsearch client, Duration atMost) {
        Map<String, JsonNode> sessions = await("marker sessions of " + visitors + " complete and final")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .until(client::sessions, this::allWritten);
        Map<String, JsonNode> withoutMarkers = new LinkedHashMap<>(sessions);
        withoutMarkers.values().removeIf(SessionMarkers::isMarker);
        return withoutMarkers;
    }

    private boolean allWritten(Map<String, JsonNode> sessions) {
        return visitors.stream().allMatch(visitor -> sessions.values().stream().anyMatch(doc ->
                doc.path("visitorId").asText().equals(visitor)
                        && doc.path("eventCount").asInt() == partitions
                        && !doc.path("live").asBoolean()));
    }

    private static boolean isMarker(JsonNode session) {
        return session.path("visitorId").asText().startsWith(VISITOR_PREFIX);
    }
}
