package io.webpipe.schema;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The top-level fields of one event as Jackson's streaming parser reads them, for {@link EventContract} to
 * validate: the values of the fields the contract knows, whether {@code properties} keeps its limits, nothing
 * else kept. Every byte is still read, so a syntax error, a duplicate key or trailing data anywhere refuses
 * the record; only the tree a record used to become is not built (it was a third of the decoding).
 *
 * <p>Duplicate keys are found here, not by Jackson's {@code STRICT_DUPLICATE_DETECTION}, which builds a set of
 * names for every object: a known field's second value finds its slot taken, and only names the contract does not
 * read (rare) and names inside nested values are kept in sets.
 */
final class EventFields {
    /** The fields whose values the contract reads; a value's place in {@link #values} is its field's here. */
    private static final String[] KNOWN = {EventContract.EVENT_ID, EventContract.TYPE, EventContract.TIMESTAMP,
            EventContract.VISITOR_ID, EventContract.USER_ID, EventContract.URL, EventContract.PAGE_ID,
            EventContract.PAGE_TITLE, EventContract.REFERRER, EventContract.USER_AGENT, EventContract.IP};

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

    private final Value[] values = new Value[KNOWN.length];
    private Properties properties;
    /** The top-level names the contract does not read, kept to refuse a second one; null until there is one. */
    private Set<String> otherNames;

    private EventFields() {}

    /**
     * Reads the whole value of {@code parser}: the event's fields, or null when it is not a JSON object.
     *
     * @throws IOException when the bytes are not one JSON value within the parser's constraints, or an object
     *     in it has a key twice
     */
    static EventFields read(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            readNested(parser, first);
            requireEnd(parser);
            return null;
        }
        EventFields fields = new EventFields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            int slot = slot(name);
            if (slot >= 0) {
                if (fields.values[slot] != null) {
                    throw duplicate(parser, name);
                }
                boolean scalar = token.isScalarValue();
                fields.values[slot] = new Value(token, scalar ? parser.getText() : null,
                        token == JsonToken.VALUE_NUMBER_INT ? parser.getNumberType() : null);
                readNested(parser, token);
            } else if (name.equals(EventContract.PROPERTIES)) {
                if (fields.properties != null) {
                    throw duplicate(parser, name);
                }
                fields.properties = readProperties(parser, token);
            } else {
                if (fields.otherNames == null) {
                    fields.otherNames = new HashSet<>();
                }
                if (!fields.otherNames.add(name)) {
                    throw duplicate(parser, name);
                }
                readNested(parser, token);
            }
        }
        requireEnd(parser);
        return fields;
    }

    /** The value of {@code field} (one the contract reads), null when absent. */
    Value get(String field) {
        return values[slot(field)];
    }

    Properties properties() {
        return properties == null ? Properties.ABSENT : properties;
    }

    /** The place of a known field's value, -1 for another name. Jackson's names are interned: mostly {@code ==}. */
    private static int slot(String name) {
        for (int i = 0; i < KNOWN.length; i++) {
            if (KNOWN[i].equals(name)) {
                return i;
            }
        }
        return -1;
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
            readNested(parser, token);
            return Properties.NOT_AN_OBJECT;
        }
        Nested nested = readNested(parser, token);
        return nested.deepest > EventContract.MAX_PROPERTIES_DEPTH || nested.values > EventContract.MAX_PROPERTIES_FIELDS
                ? Properties.OVER_LIMITS : Properties.WITHIN_LIMITS;
    }

    /** A nested value's size: the fields and elements at every level in it, and its deepest level (itself 1). */
    private record Nested(int values, int deepest) {}

    private static final Nested SCALAR = new Nested(0, 0);

    /**
     * Reads the value that starts with {@code token} whole, refusing an object in it with a key twice; a scalar is
     * read already.
     */
    private static Nested readNested(JsonParser parser, JsonToken token) throws IOException {
        if (token == null || !token.isStructStart()) {
            return SCALAR;
        }
        // The names of each open container, innermost last; null for an array or an object without names yet.
        List<Set<String>> names = new ArrayList<>();
        names.add(null);
        int values = 0;
        int deepest = 1;
        while (!names.isEmpty()) {
            JsonToken next = parser.nextToken();
            if (next == JsonToken.END_OBJECT || next == JsonToken.END_ARRAY) {
                names.remove(names.size() - 1);
            } else if (next == JsonToken.FIELD_NAME) {
                int innermost = names.size() - 1;
                if (names.get(innermost) == null) {
                    names.set(innermost, new HashSet<>());
                }
                if (!names.get(innermost).add(parser.currentName())) {
                    throw duplicate(parser, parser.currentName());
                }
            } else {
                values++;
                if (next.isStructStart()) {
                    names.add(null);
                    deepest = Math.max(deepest, names.size());
                }
            }
        }
        return new Nested(values, deepest);
    }

    /** As Jackson words it, so that a reason reads the same whichever finds it. */
    private static JsonParseException duplicate(JsonParser parser, String name) {
        return new JsonParseException(parser, "Duplicate field '" + name + "'");
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new JsonParseException(parser, "trailing data after the value (" + trailing + ")");
        }
    }
}
