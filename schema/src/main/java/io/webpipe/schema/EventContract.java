package io.webpipe.schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The input contract of {@code web-log}: one JSON object per record, UTF-8, key = visitorId.
 * The Flink job decodes with it and the collector validates with it, so both apply the same
 * field names, rules and limits: whatever the collector accepted, the job accepts too. Unknown
 * fields are ignored.
 *
 * <p>The limits bound everything an event can put into state, a Kafka record or an Elasticsearch
 * document: ids and machine values over their limit are refused (a cut id would be another id),
 * display strings (url, title, referrer, user agent) are cut with {@link #CUT_MARKER}, because an
 * analyst would rather see their start than nothing.
 */
public final class EventContract implements Serializable {
    private static final long serialVersionUID = 1L;

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

    /**
     * {@link #PAGE_VIEW} or {@link #CLICK} when {@code type} equals one, else {@code type}. Types are compared with
     * every event (a session's counts per type, page views); the same instance makes {@code equals} one comparison of
     * references instead of a read of two strings' bytes kept far apart in memory.
     */
    public static String commonType(String type) {
        if (PAGE_VIEW.equals(type)) {
            return PAGE_VIEW;
        }
        return CLICK.equals(type) ? CLICK : type;
    }

    // --- limits (characters unless the name says bytes) ---
    /** eventId, visitorId, userId, pageId: longer ones are refused. */
    public static final int MAX_ID_LENGTH = 128;
    /** Event type names: longer ones are refused. */
    public static final int MAX_TYPE_LENGTH = 64;
    /** An IP address in text form is at most 45 characters (IPv4-mapped IPv6). */
    public static final int MAX_IP_LENGTH = 45;
    /** url and referrer: cut beyond this. */
    public static final int MAX_URL_LENGTH = 2048;
    /** pageTitle: cut beyond this. */
    public static final int MAX_TITLE_LENGTH = 512;
    /** userAgent: cut beyond this (real ones are under 300). */
    public static final int MAX_USER_AGENT_LENGTH = 512;
    /** UTM values taken from the url's query: cut beyond this. */
    public static final int MAX_UTM_LENGTH = 256;
    /** properties: fields at all levels together, and nesting depth (the object itself is depth 1). */
    public static final int MAX_PROPERTIES_FIELDS = 100;
    public static final int MAX_PROPERTIES_DEPTH = 4;
    /** One event as a Kafka record (UTF-8 JSON): larger ones are refused. */
    public static final int MAX_EVENT_BYTES = 32 * 1024;
    /** One request to the collector. */
    public static final int MAX_BATCH_EVENTS = 500;
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Distinct event types listed in one session document; the rest are summed under
     * {@link #OTHER_TYPES}, so a visitor who sends thousands of type names cannot grow a document.
     */
    public static final int MAX_SESSION_EVENT_TYPES = 50;
    public static final String OTHER_TYPES = "(other)";
    /**
     * Largest document the job writes: a session with 100 page urls, its titles, event types and the
     * fields above all at their limits, in characters that JSON writes as 6 bytes each (control
     * characters and both halves of an emoji are escaped as six-byte unicode escapes); a test builds that worst
     * case and checks it. Real documents are a few KB.
     */
    public static final int MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
    /** How far ahead of the receiving clock an event time may be (clock skew of devices). */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    /** Appended to a display string that was cut. */
    public static final String CUT_MARKER = "…";

    /** Required in every event; {@link #URL} is also required for page views. */
    public static final List<String> REQUIRED = List.of(EVENT_ID, TYPE, TIMESTAMP, VISITOR_ID);
    /** Required fields that must be strings (the timestamp may be a number too). */
    private static final List<String> TEXT_REQUIRED = List.of(EVENT_ID, TYPE, VISITOR_ID);
    /** Required or optional, with the length beyond which the event is refused. */
    private static final Map<String, Integer> REFUSED_OVER = Map.of(
            EVENT_ID, MAX_ID_LENGTH, VISITOR_ID, MAX_ID_LENGTH, USER_ID, MAX_ID_LENGTH, PAGE_ID, MAX_ID_LENGTH,
            TYPE, MAX_TYPE_LENGTH, IP, MAX_IP_LENGTH);
    /** Optional string fields. */
    public static final List<String> OPTIONAL_STRINGS =
            List.of(USER_ID, URL, PAGE_ID, PAGE_TITLE, REFERRER, USER_AGENT, IP);
    /** Elasticsearch dates are read as years 0000-9999. */
    private static final long EARLIEST = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();

    /**
     * The JSON reader of both sides: a duplicate key is an error (which value would count?), so is
     * anything after the first value, and nesting, numbers and strings are bounded before any tree is built.
     */
    public static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_PROPERTIES_DEPTH + 2) // a batch array and the event around properties
                            .maxNumberLength(64)
                            .maxStringLength(MAX_BODY_BYTES)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final long maxFutureSkewMs;

    /** @param maxFutureSkew how far ahead of the receiving clock an event time may be */
    public EventContract(Duration maxFutureSkew) {
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("the future skew must not be negative: " + maxFutureSkew);
        }
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    public Duration maxFutureSkew() {
        return Duration.ofMillis(maxFutureSkewMs);
    }

    /** Decodes one record value received at {@code now} (epoch ms); never throws. */
    public Decoded decode(byte[] value, long now) {
        if (value == null || value.length == 0) {
            return Decoded.rejected("empty record");
        }
        if (value.length > MAX_EVENT_BYTES) {
            return Decoded.rejected(tooLarge(value.length));
        }
        int kinds = byteKinds(value);
        if ((kinds & NUL) != 0) {
            return Decoded.rejected(NUL_BYTE);
        }
        if ((kinds & NON_ASCII) != 0 && !STRICT_UTF8.get().accepts(value)) {
            return Decoded.rejected(NOT_UTF8);
        }
        EventFields fields;
        try (JsonParser parser = JSON.getFactory().createParser(value)
                .disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)) { // EventFields finds duplicates, cheaper
            fields = EventFields.read(parser);
        } catch (JsonProcessingException e) {
            return Decoded.rejected("not JSON: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            return Decoded.rejected("not JSON: " + e.getMessage());
        }
        return validate(fields, new Strings(kinds), now);
    }

    /** The rules, on the fields of a record that is JSON; never throws. */
    private Decoded validate(EventFields node, Strings strings, long now) {
        if (node == null) {
            return Decoded.rejected("not a JSON object");
        }
        for (String field : REQUIRED) {
            EventFields.Value v = node.get(field);
            if (v == null || v.isNull() || (v.isTextual() && v.text().isBlank())) {
                return Decoded.rejected("missing required field '" + field + "'");
            }
        }
        for (String field : TEXT_REQUIRED) {
            if (!node.get(field).isTextual()) {
                return Decoded.rejected("field '" + field + "' must be a string");
            }
        }
        for (String field : OPTIONAL_STRINGS) {
            EventFields.Value v = node.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) {
                return Decoded.rejected("field '" + field + "' must be a string");
            }
        }
        for (Map.Entry<String, Integer> limit : REFUSED_OVER.entrySet()) {
            String reason = strings.checkId(limit.getKey(), strings.text(node, limit.getKey()), limit.getValue());
            if (reason != null) {
                return Decoded.rejected(reason);
            }
        }
        switch (node.properties()) {
            case NOT_AN_OBJECT:
                return Decoded.rejected("field '" + PROPERTIES + "' must be an object");
            case OVER_LIMITS:
                return Decoded.rejected("field '" + PROPERTIES + "' has more than " + MAX_PROPERTIES_FIELDS
                        + " fields or is nested deeper than " + MAX_PROPERTIES_DEPTH + " levels");
            default:
                break;
        }
        long timestamp;
        try {
            timestamp = parseTimestamp(node.get(TIMESTAMP));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Decoded.rejected("unreadable timestamp: " + e.getMessage());
        }
        if (timestamp < EARLIEST) {
            return Decoded.rejected("timestamp out of range: " + timestamp + " is before year 0000");
        }
        if (timestamp > now + maxFutureSkewMs) {
            return Decoded.rejected("timestamp in the future: " + Instant.ofEpochMilli(timestamp) + " is more than "
                    + maxFutureSkew() + " ahead of the receiving clock (" + Instant.ofEpochMilli(now) + ")");
        }

        WebEvent event = new WebEvent();
        event.eventId = strings.text(node, EVENT_ID);
        event.type = commonType(strings.text(node, TYPE));
        event.timestamp = timestamp;
        event.visitorId = strings.text(node, VISITOR_ID);
        event.userId = strings.text(node, USER_ID);
        event.url = cut(strings.text(node, URL), MAX_URL_LENGTH);
        event.pageId = strings.text(node, PAGE_ID);
        event.pageTitle = cut(strings.text(node, PAGE_TITLE), MAX_TITLE_LENGTH);
        event.referrer = cut(strings.text(node, REFERRER), MAX_URL_LENGTH);
        event.userAgent = cut(strings.text(node, USER_AGENT), MAX_USER_AGENT_LENGTH);
        event.ip = strings.text(node, IP);
        if (event.isPageView() && event.url == null) {
            return Decoded.rejected("missing required field 'url' (required for page_view)");
        }
        return Decoded.accepted(event);
    }

    /**
     * Whether {@code bytes} are well-formed UTF-8. Jackson's own decoder lets some malformed sequences
     * through (an overlong {@code C0 AF} reads as {@code /}), so one record could stand for another.
     */
    public static boolean isUtf8(byte[] bytes) {
        // Most records are ASCII: no decoder needed. The others are decoded by a strict decoder kept per thread, into
        // a buffer reused in pieces: the JDK's one-call decode built a decoder and a buffer of the record's size each.
        return (byteKinds(bytes) & NON_ASCII) == 0 || STRICT_UTF8.get().accepts(bytes);
    }

    /** Whether {@code bytes} hold a 0x00 byte, which JSON in UTF-8 never has ({@link #NUL_BYTE}). */
    public static boolean hasNulByte(byte[] bytes) {
        return (byteKinds(bytes) & NUL) != 0;
    }

    /** A byte of 0x80 or above: the record needs the strict UTF-8 check. */
    private static final int NON_ASCII = 1;
    /** A backslash: JSON escapes, through which any character, an unpaired surrogate too, can reach a string. */
    private static final int ESCAPES = 2;
    /**
     * DEL (0x7F) or the lead byte 0xC2 of U+0080..U+00BF: the only ISO control characters that well-formed UTF-8 JSON
     * can hold unescaped (the others must be escaped).
     */
    private static final int RAW_CONTROLS = 4;
    /**
     * A 0x00 byte: JSON in UTF-8 has none (U+0000 must be escaped), but Jackson takes zeros among the first bytes for
     * UTF-16 or UTF-32 and would read the record in that encoding, where the kinds above say nothing.
     */
    private static final int NUL = 8;

    /** Which of the kinds above occur in {@code bytes}: one pass, so that most records skip the per-string checks. */
    private static int byteKinds(byte[] bytes) {
        int kinds = 0;
        for (byte b : bytes) {
            if (b < 0) {
                kinds |= b == (byte) 0xC2 ? NON_ASCII | RAW_CONTROLS : NON_ASCII;
            } else if (b == '\\') {
                kinds |= ESCAPES;
            } else if (b == 0x7F) {
                kinds |= RAW_CONTROLS;
            } else if (b == 0) {
                kinds |= NUL;
            }
        }
        return kinds;
    }

    private static final ThreadLocal<StrictUtf8> STRICT_UTF8 = ThreadLocal.withInitial(StrictUtf8::new);

    /** A UTF-8 decoder that reports malformed input, and the buffer it decodes into; one per thread. */
    private static final class StrictUtf8 {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final CharBuffer chars = CharBuffer.allocate(4096);

        boolean accepts(byte[] bytes) {
            decoder.reset();
            ByteBuffer in = ByteBuffer.wrap(bytes);
            while (true) {
                chars.clear();
                CoderResult result = decoder.decode(in, chars, true);
                if (result.isError()) {
                    return false;
                }
                if (result.isUnderflow()) {
                    chars.clear();
                    return !decoder.flush(chars).isError();
                }
            }
        }
    }

    /** Why a record that is not UTF-8 is refused. */
    public static final String NOT_UTF8 = "not JSON: the record is not well-formed UTF-8";
    /** Why a record with a 0x00 byte is refused: UTF-16 or UTF-32, or binary. */
    public static final String NUL_BYTE = "not JSON: the record has a 0x00 byte (only UTF-8 is read; U+0000 must be escaped)";

    /** Why an event of {@code bytes} UTF-8 bytes is refused. */
    public static String tooLarge(int bytes) {
        return "event larger than " + MAX_EVENT_BYTES + " bytes (" + bytes + ")";
    }

    /** ISO-8601 with an offset ({@code 2026-11-25T09:00:00+09:00}, {@code ...Z}) or epoch milliseconds. */
    private static long parseTimestamp(EventFields.Value v) {
        if (v.token() == JsonToken.VALUE_NUMBER_INT) {
            if (v.numberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new IllegalArgumentException(v.text() + " is out of range of epoch milliseconds");
            }
            return Long.parseLong(v.text());
        }
        if (v.isTextual()) {
            String s = v.text().trim();
            if (!s.isEmpty() && s.length() <= 19 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Long.parseLong(s);
            }
            try {
                return IsoTimestamps.epochMillis(s);
            } catch (DateTimeException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + cut(s, 64) + "' is neither ISO-8601 with offset nor epoch milliseconds");
            }
        }
        throw new IllegalArgumentException("expected ISO-8601 string or epoch milliseconds, got " + v.kind());
    }

    /**
     * {@code value} cut to at most {@code max} characters, the last of them {@link #CUT_MARKER}; a
     * surrogate pair is never split. Null stays null.
     */
    public static String cut(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = max - CUT_MARKER.length();
        if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, Math.max(end, 0)) + CUT_MARKER;
    }

    /**
     * How the strings of one well-formed UTF-8 record are read: the checks for characters that only escapes or a
     * few raw bytes can bring are skipped when the record has none of them ({@link #byteKinds}).
     */
    private record Strings(int kinds) {
        /**
         * A field's text, null when absent or empty. Unpaired surrogates (valid in a JSON escape, not in
         * UTF-8) become U+FFFD, so that no writer downstream can fail on them.
         */
        String text(EventFields node, String field) {
            EventFields.Value v = node.get(field);
            if (v == null || v.isNull()) return null;
            String s = v.text();
            return s.isEmpty() ? null : (kinds & ESCAPES) == 0 ? s : wellFormed(s);
        }

        String checkId(String field, String value, int max) {
            if (value == null) {
                return null;
            }
            if (value.length() > max) {
                return "field '" + field + "' is longer than " + max + " characters";
            }
            return (kinds & (ESCAPES | RAW_CONTROLS)) == 0 ? null : controlCharacter(field, value);
        }
    }

    private static String controlCharacter(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "field '" + field + "' contains a control character";
            }
        }
        return null;
    }

    static String wellFormed(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    : !Character.isLowSurrogate(c) || (i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
            if (!paired && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(paired ? c : '\uFFFD');
            }
        }
        return out == null ? s : out.toString();
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
