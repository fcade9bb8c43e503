package io.webpipe.job.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Expected documents (the traffic generator's model) against written ones, field by field, except
 * {@code updatedAt} (the write's version, wall-clock time). Both sides go through JSON text, so numbers
 * compare by value as Elasticsearch returns them.
 */
final class DocumentComparison {
    static final String IGNORED = "updatedAt";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DocumentComparison() {}

    /** Every difference, one line each (missing, unexpected, or both documents); empty when exact. */
    static List<String> differences(Map<String, ?> expectedById, Map<String, JsonNode> actualById) {
        List<String> differences = new ArrayList<>();
        for (String id : new TreeSet<>(actualById.keySet())) {
            if (!expectedById.containsKey(id)) {
                differences.add("unexpected " + id + ": " + actualById.get(id));
            }
        }
        for (Map.Entry<String, ?> e : expectedById.entrySet()) {
            JsonNode actual = actualById.get(e.getKey());
            if (actual == null) {
                differences.add("missing " + e.getKey());
                continue;
            }
            ObjectNode expected = viaText(e.getValue());
            ObjectNode got = viaText(actual);
            expected.remove(IGNORED);
            got.remove(IGNORED);
            if (!expected.equals(got)) {
                differences.add("differs " + e.getKey() + ": expected " + expected + ", got " + got);
            }
        }
        return differences;
    }

    private static ObjectNode viaText(Object document) {
        try {
            return (ObjectNode) JSON.readTree(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON document: " + document, e);
        }
    }
}
