package io.webpipe.api.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.Json;
import io.webpipe.schema.EventContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Validates incoming events against the job's {@link EventContract}, completes what the request
 * itself can tell (eventId, userAgent, ip), and publishes the valid ones. Invalid events are
 * reported one by one; they never block the valid events of the same batch.
 */
public final class EventCollector {
    private final EventPublisher publisher;
    private final int maxEvents;

    public EventCollector(EventPublisher publisher, int maxEvents) {
        this.publisher = publisher;
        this.maxEvents = maxEvents;
    }

    /** What the request knows about its sender. */
    public record Origin(String userAgent, String ip) {}

    /** Parses a body of one event or an array of events. */
    public List<JsonNode> parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
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
            if (root.size() > maxEvents) {
                throw new ApiException(413, "too_many_events", null,
                        "a batch holds at most " + maxEvents + " events, got " + root.size());
            }
            root.forEach(events::add);
        } else if (root.isObject()) {
            events.add(root);
        } else {
            throw new ApiException(400, "invalid_json", null, "the body must be an event object or an array of event objects");
        }
        return events;
    }

    /** Validates, completes and publishes; returns once Kafka has stored every accepted event. */
    public CollectResult collect(List<JsonNode> events, Origin origin) {
        CollectResult result = new CollectResult();
        List<EventPublisher.OutgoingEvent> outgoing = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode node = events.get(i);
            if (node.isObject()) {
                complete((ObjectNode) node, origin);
            }
            EventContract.Decoded decoded = EventContract.validate(node);
            if (decoded.isAccepted()) {
                outgoing.add(new EventPublisher.OutgoingEvent(decoded.event().visitorId, Json.write(node).getBytes(StandardCharsets.UTF_8)));
                result.eventIds.add(decoded.event().eventId);
            } else {
                result.errors.add(new CollectResult.Rejection(i, decoded.reason()));
            }
        }
        if (!outgoing.isEmpty()) {
            publisher.publishAll(outgoing);
        }
        result.accepted = outgoing.size();
        result.rejected = result.errors.size();
        return result;
    }

    private static void complete(ObjectNode event, Origin origin) {
        if (isAbsent(event.get(EventContract.EVENT_ID))) {
            event.put(EventContract.EVENT_ID, UUID.randomUUID().toString());
        }
        if (isAbsent(event.get(EventContract.USER_AGENT)) && origin.userAgent() != null) {
            event.put(EventContract.USER_AGENT, origin.userAgent());
        }
        if (isAbsent(event.get(EventContract.IP)) && origin.ip() != null) {
            event.put(EventContract.IP, origin.ip());
        }
    }

    private static boolean isAbsent(JsonNode v) {
        return v == null || v.isNull() || (v.isTextual() && v.asText().isBlank());
    }

    /** The 202 answer: counts, the ids of the accepted events, and why each rejected one was refused. */
    public static final class CollectResult {
        public int accepted;
        public int rejected;
        public final List<String> eventIds = new ArrayList<>();
        public final List<Rejection> errors = new ArrayList<>();

        public record Rejection(int index, String reason) {}
    }
}
