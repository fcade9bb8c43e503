package io.webpipe.schema;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The top-level fields of one event as Jackson's streaming parser reads them, for {@link EventContract} to
 * validate: the values of the fields the contract knows, whether {@code properties} keeps its limits, nothing
 * else kept. Every byte is still read, so a syntax error, a duplicate key or trailing data anywhere refuses
 * the record as before; only the tree a record used to become is not built (it was a third of the decoding).
 */
final class EventFields {
    /** The fields whose values the contract reads. */
    private static final Set<String> KNOWN = Set.of(EventContract.EVENT_ID, EventContract.TYPE, EventContract.TIMESTAMP,
            EventContract.VISITOR_ID, EventContract.USER_ID, EventContract.URL, EventContract.PAGE_ID,
            EventContract.PAGE_TITLE, EventContract.REFERRER, EventContract.USER_AGENT, EventContract.IP);

    /** What {@code properties} was. */
    enum Properties { ABSENT, NOT_AN_OBJECT, WITHIN_LIMITS, OVER_LIMITS }

    /** One field's value: its token and, for strings and numbers, its text. */
    record Value(JsonToken token, String text, JsonParser.NumberType numberType) {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isTextual() {
            return token == JsonToken.VALUE_STRING;
        }

        /** The kind's name as Jackson's tree model calls it (NUMBER, BOOLEAN, ...), for reasons. */
        String kind() {
            return switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
                case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
                case START_OBJECT -> "OBJECT";
                case START_ARRAY -> "ARRAY";
                case VALUE_STRING -> "STRING";
                default -> "NULL";
            };
        }
    }

    private final Map<String, Value> values = new HashMap<>();
    private Properties properties = Properties.ABSENT;

    private EventFields() {}

    /**
     * Reads the whole value of {@code parser}: the event's fields, or null when it is not a JSON object.
     *
     * @throws IOException when the bytes are not one JSON value within the parser's constraints
     */
    static EventFields read(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            requireEnd(parser);
            return null;
        }
        EventFields fields = new EventFields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (name.equals(EventContract.PROPERTIES)) {
                fields.properties = readProperties(parser, token);
            } else if (KNOWN.contains(name)) {
                boolean scalar = token.isScalarValue();
                fields.values.put(name, new Value(token, scalar ? parser.getText() : null,
                        token == JsonToken.VALUE_NUMBER_INT ? parser.getNumberType() : null));
                parser.skipChildren();
            } else {
                parser.skipChildren();
            }
        }
        requireEnd(parser);
        return fields;
    }

    /** The value of {@code field}, null when absent. */
    Value get(String field) {
        return values.get(field);
    }

    Properties properties() {
        return properties;
    }

    /**
     * Reads {@code properties} whole, counting as the limits do: every field or element of every object or array in it
     * (the object itself at depth 1), no object or array deeper than {@link EventContract#MAX_PROPERTIES_DEPTH}.
     */
    private static Properties readProperties(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return Properties.ABSENT;
        }
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return Properties.NOT_AN_OBJECT;
        }
        int depth = 1;
        int fields = 0;
        boolean over = false;
        while (depth > 0) {
            JsonToken next = parser.nextToken();
            if (next == JsonToken.END_OBJECT || next == JsonToken.END_ARRAY) {
                depth--;
                continue;
            }
            if (next == JsonToken.FIELD_NAME) {
                continue; // counted with its value
            }
            fields++;
            if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY) {
                depth++;
                over |= depth > EventContract.MAX_PROPERTIES_DEPTH;
            }
        }
        return over || fields > EventContract.MAX_PROPERTIES_FIELDS ? Properties.OVER_LIMITS : Properties.WITHIN_LIMITS;
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new JsonParseException(parser, "trailing data after the value (" + trailing + ")");
        }
    }
}
