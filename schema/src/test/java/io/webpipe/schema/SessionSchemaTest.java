package io.webpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The session document class and its index template describe the same fields. */
class SessionSchemaTest {

    @Test
    void templateMapsExactlyTheDocumentFields() throws Exception {
        JsonNode template = new ObjectMapper().readTree(Indices.template(Indices.SESSIONS));
        Set<String> mapped = new TreeSet<>();
        template.at("/mappings/properties").fieldNames().forEachRemaining(mapped::add);

        ObjectMapper json = new ObjectMapper();
        Set<String> fields = json.getSerializationConfig().introspect(json.constructType(SessionDocument.class))
                .findProperties().stream()
                .map(BeanPropertyDefinition::getName)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(mapped).isEqualTo(fields);
        assertThat(template.at("/mappings/dynamic").asText()).isEqualTo("strict");
        assertThat(template.at("/index_patterns/0").asText()).isEqualTo(Indices.SESSIONS + "_v*");
    }

    @Test
    void missingFieldsAreThoseOfTheTemplateAnIndexLacksObjectsFollowed() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode template = json.readTree(Indices.template(Indices.SESSIONS)).path("mappings");
        assertThat(Indices.missingFields(template, template)).isEmpty();

        JsonNode older = template.deepCopy();
        ((ObjectNode) older.path("properties")).remove(SessionDocument.VISITOR_HASH);
        ((ObjectNode) older.path("properties").path("eventTypes").path("properties")).remove("type");
        assertThat(Indices.missingFields(template, older)).containsExactly(SessionDocument.VISITOR_HASH, "eventTypes.type");
        assertThat(Indices.missingFields(template, json.createObjectNode())).hasSize(template.path("properties").size());
    }

    @Test
    void theVisitorHashIsWrittenFromTheVisitorIdAndNeverReadBack() throws Exception {
        SessionDocument doc = new SessionDocument();
        doc.visitorId = "v-1";
        JsonNode written = EventContract.JSON.valueToTree(doc);
        assertThat(written.path(SessionDocument.VISITOR_HASH).asLong()).isEqualTo(SessionDocument.visitorHash("v-1"));
        // Read back (a document from an older index has none; one whose visitor changed would be stale): ignored.
        SessionDocument read = EventContract.JSON.readValue("{\"visitorId\":\"v-2\",\"visitorHash\":7}", SessionDocument.class);
        assertThat(read.visitorHash()).isEqualTo(SessionDocument.visitorHash("v-2"));
        assertThat(EventContract.JSON.valueToTree(new SessionDocument()).has(SessionDocument.VISITOR_HASH)).isFalse();
    }

    @Test
    void theVisitorHashIsSixtyFourBitFnv1a() {
        // Published FNV-1a 64 test vectors (ASCII, where UTF-16 code units equal the bytes).
        assertThat(SessionDocument.visitorHash("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(SessionDocument.visitorHash("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(SessionDocument.visitorHash("foobar")).isEqualTo(0x85944171f73967e8L);
    }

    @Test
    void readsEventTypesInTheCurrentAndInTheV1Shape() throws Exception {
        ObjectMapper json = EventContract.JSON; // the strictest reader of the project: no trailing data
        SessionDocument current = json.readValue("{\"eventTypes\":[{\"type\":\"click\",\"count\":2}],\"eventCount\":2}", SessionDocument.class);
        SessionDocument v1 = json.readValue("{\"eventTypes\":{\"click\":2,\"page_view\":3},\"eventCount\":5}", SessionDocument.class);
        assertThat(current.eventTypes).extracting(t -> t.type + "=" + t.count).containsExactly("click=2");
        assertThat(v1.eventTypes).extracting(t -> t.type + "=" + t.count).containsExactly("page_view=3", "click=2");
    }
}
