package io.webpipe.api.collect;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.Json;
import io.webpipe.api.metrics.CollectorMetrics;
import io.webpipe.schema.EventContract;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Validates incoming events against the job's {@link EventContract} (same rules, limits and future
 * skew), completes what the request itself can tell (eventId, userAgent, ip), and publishes the
 * valid ones. Invalid events are reported one by one; they never block the valid events of the
 * same batch. Whatever is published here, the job accepts: the record is checked as the job will
 * read it, byte for byte.
 */
public final class EventCollector {
    /** The contract's reader (duplicate keys, nesting and lengths bounded), and nothing after the JSON value. */
    /** Floats as sent, not as doubles (1e400 would be Infinity, which a writer turns into a string; -0.0 must stay a float). */
    private static final ObjectReader BODY_READER = EventContract.JSON.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    private static final ObjectWriter RECORD_WRITER = Json.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private final EventPublisher publisher;
    private final EventContract contract;
    private final CollectorMetrics metrics;

    public EventCollector(EventPublisher publisher, EventContract contract, CollectorMetrics metrics) {
        this.publisher = publisher;
        this.contract = contract;
        this.metrics = metrics;
    }

    /** What the request knows about its sender. */
    public record Origin(String userAgent, String ip) {}

    /** Parses a body of one event or an array of at most {@link EventContract#MAX_BATCH_EVENTS} events. */
    public List<JsonNode> parse(byte[] body) {
        if (!EventContract.isUtf8(body)) {
            throw new ApiException(400, "invalid_json", null, "the body is not well-formed UTF-8");
        }
        if (EventContract.hasNulByte(body)) { // Jackson would read it as UTF-16 or UTF-32
            throw new ApiException(400, "invalid_json", null, "the body has a 0x00 byte: only UTF-8 is read (U+0000 must be escaped)");
        }
        JsonNode root;
        try {
            root = BODY_READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "invalid_json", null, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "invalid_json", null, "the body cannot be read");
        }
        if (root == null || root.isMissingNode()) {
            throw new ApiException(400, "invalid_json", null, "the body is empty: send one event object or an array of events");
        }
        List<JsonNode> events = new ArrayList<>();
        if (root.isArray()) {
            if (root.size() > EventContract.MAX_BATCH_EVENTS) {
                throw new ApiException(413, "too_many_events", null,
                        "a batch holds at most " + EventContract.MAX_BATCH_EVENTS + " events, got " + root.size());
            }
            root.forEach(events::add);
        } else if (root.isObject()) {
            events.add(root);
        } else {
            throw new ApiException(400, "invalid_json", null, "the body must be an event object or an array of event objects");
        }
        return events;
    }

    /** Validates, completes, publishes and counts; returns once Kafka has acknowledged (or failed) each valid event. */
    public CollectResult collect(List<JsonNode> events, Origin origin) {
        long now = System.currentTimeMillis();
        CollectResult result = new CollectResult();
        List<EventPublisher.OutgoingEvent> outgoing = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode node = events.get(i);
            if (node.isObject()) {
                complete((ObjectNode) node, origin);
            }
            // Checked as the Kafka record the job will read, by the job's own decoder: what is accepted here, the job accepts.
            byte[] record = writeRecord(node);
            EventContract.Decoded decoded = contract.decode(record, now);
            if (!decoded.isAccepted()) {
                result.errors.add(new CollectResult.Rejection(i, decoded.reason()));
                continue;
            }
            outgoing.add(new EventPublisher.OutgoingEvent(decoded.event().visitorId, record));
            indexes.add(i);
            ids.add(decoded.event().eventId);
        }
        List<String> failures = outgoing.isEmpty() ? List.of() : publisher.publishAll(outgoing);
        for (int j = 0; j < failures.size(); j++) {
            if (failures.get(j) == null) {
                result.eventIds.add(ids.get(j));
            } else {
                result.failures.add(new CollectResult.Failure(indexes.get(j), ids.get(j), failures.get(j)));
            }
        }
        result.accepted = result.eventIds.size();
        result.rejected = result.errors.size();
        result.failed = result.failures.size();
        metrics.events(result.accepted, result.rejected, result.failed);
        return result;
    }

    /** Fills in what the client left out; the user agent is cut as the job would cut it, so it never makes an event too large. */
    private static void complete(ObjectNode event, Origin origin) {
        if (isAbsent(event.get(EventContract.EVENT_ID))) {
            event.put(EventContract.EVENT_ID, UUID.randomUUID().toString());
        }
        if (isAbsent(event.get(EventContract.USER_AGENT)) && origin.userAgent() != null) {
            event.put(EventContract.USER_AGENT, EventContract.cut(origin.userAgent(), EventContract.MAX_USER_AGENT_LENGTH));
        }
        if (isAbsent(event.get(EventContract.IP)) && origin.ip() != null) {
            event.put(EventContract.IP, origin.ip());
        }
    }

    /**
     * The Kafka record of an event: every non-ASCII character escaped, so that an unpaired surrogate (valid in
     * a JSON escape, not in UTF-8) reaches the job as the same escape, which it reads as the collector did.
     */
    private static byte[] writeRecord(JsonNode event) {
        try {
            return RECORD_WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event tree is always writable", e);
        }
    }

    private static boolean isAbsent(JsonNode v) {
        return v == null || v.isNull() || (v.isTextual() && v.asText().isBlank());
    }

    /**
     * The answer for a batch, event by event: {@code eventIds} lists the events Kafka stored,
     * {@code errors} the rejected ones (by index, with the reason; resending them is pointless) and
     * {@code failures} the valid ones Kafka did not confirm (by index, with the eventId to resend them
     * with). When something failed, {@code error} and {@code message} are set too (a 503).
     */
    @JsonPropertyOrder({"error", "message", "accepted", "rejected", "failed", "eventIds", "errors", "failures"})
    public static final class CollectResult {
        public String error;
        public String message;
        public int accepted;
        public int rejected;
        public int failed;
        public final List<String> eventIds = new ArrayList<>();
        public final List<Rejection> errors = new ArrayList<>();
        public final List<Failure> failures = new ArrayList<>();

        public record Rejection(int index, String reason) {}

        public record Failure(int index, String eventId, String reason) {}

        /** Marks the answer as an error when Kafka did not confirm every valid event; true then. */
        boolean markUnconfirmed() {
            if (failed == 0) {
                return false;
            }
            error = "unavailable";
            message = "Kafka did not confirm " + failed + " of " + (accepted + failed) + " valid events (listed in 'failures'); "
                    + accepted + " are stored. Resend the failed ones with the same eventId: an eventId counts once.";
            return true;
        }
    }
}
