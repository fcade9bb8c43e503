package io.webpipe.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The input contract of {@code web-log}: one JSON object per record, UTF-8, key = visitorId.
 * The Flink job decodes with it and the collector validates with it, so both apply the same
 * field names and rules. Unknown fields are ignored.
 */
public final class EventContract {
    public static final String EVENT_ID = "eventId";
    public static final String TYPE = "type";
    public static final String TIMESTAMP = "timestamp";
    public static final String VISITOR_ID = "visitorId";
    public static final String USER_ID = "userId";
    public static final String URL = "url";
    public static final String PAGE_ID = "pageId";
    public static final String PAGE_TITLE = "pageTitle";
    public static final String REFERRER = "referrer";
    public static final String USER_AGENT = "userAgent";
    public static final String IP = "ip";
    public static final String PROPERTIES = "properties";

    public static final String PAGE_VIEW = "page_view";
    public static final String CLICK = "click";

    /** Required in every event; {@link #URL} is also required for page views. */
    public static final List<String> REQUIRED = List.of(EVENT_ID, TYPE, TIMESTAMP, VISITOR_ID);
    /** Optional string fields. */
    public static final List<String> OPTIONAL_STRINGS =
            List.of(USER_ID, URL, PAGE_ID, PAGE_TITLE, REFERRER, USER_AGENT, IP);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventContract() {}

    /** Decodes one record value; never throws. */
    public static Decoded decode(byte[] value) {
        if (value == null || value.length == 0) {
            return Decoded.rejected("empty record");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(value);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException
                    ? ((JsonProcessingException) e).getOriginalMessage()
                    : e.getMessage();
            return Decoded.rejected("not JSON: " + detail);
        }
        return validate(node);
    }

    /** Validates an already parsed JSON value against the contract; never throws. */
    public static Decoded validate(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Decoded.rejected("not a JSON object");
        }
        for (String field : REQUIRED) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
                return Decoded.rejected("missing required field '" + field + "'");
            }
        }
        for (String field : List.of(EVENT_ID, TYPE, VISITOR_ID)) {
            if (!node.get(field).isTextual()) {
                return Decoded.rejected("field '" + field + "' must be a string");
            }
        }
        for (String field : OPTIONAL_STRINGS) {
            JsonNode v = node.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) {
                return Decoded.rejected("field '" + field + "' must be a string");
            }
        }
        JsonNode properties = node.get(PROPERTIES);
        if (properties != null && !properties.isNull() && !properties.isObject()) {
            return Decoded.rejected("field '" + PROPERTIES + "' must be an object");
        }
        long timestamp;
        try {
            timestamp = parseTimestamp(node.get(TIMESTAMP));
        } catch (IllegalArgumentException e) {
            return Decoded.rejected("unreadable timestamp: " + e.getMessage());
        }

        WebEvent event = new WebEvent();
        event.eventId = node.get(EVENT_ID).asText();
        event.type = node.get(TYPE).asText();
        event.timestamp = timestamp;
        event.visitorId = node.get(VISITOR_ID).asText();
        event.userId = text(node, USER_ID);
        event.url = text(node, URL);
        event.pageId = text(node, PAGE_ID);
        event.pageTitle = text(node, PAGE_TITLE);
        event.referrer = text(node, REFERRER);
        event.userAgent = text(node, USER_AGENT);
        event.ip = text(node, IP);
        if (event.isPageView() && event.url == null) {
            return Decoded.rejected("missing required field 'url' (required for page_view)");
        }
        return Decoded.accepted(event);
    }

    /** ISO-8601 with an offset ({@code 2026-11-25T09:00:00+09:00}, {@code ...Z}) or epoch milliseconds. */
    public static long parseTimestamp(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            String s = v.asText().trim();
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(s);
            }
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("'" + s + "' is neither ISO-8601 with offset nor epoch milliseconds");
            }
        }
        throw new IllegalArgumentException("expected ISO-8601 string or epoch milliseconds, got " + v.getNodeType());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    /** Either an accepted event or the reason it was rejected. */
    public static final class Decoded {
        private final WebEvent event;
        private final String reason;

        private Decoded(WebEvent event, String reason) {
            this.event = event;
            this.reason = reason;
        }

        static Decoded accepted(WebEvent event) {
            return new Decoded(event, null);
        }

        static Decoded rejected(String reason) {
            return new Decoded(null, reason);
        }

        public boolean isAccepted() {
            return event != null;
        }

        public WebEvent event() {
            return event;
        }

        public String reason() {
            return reason;
        }
    }
}
