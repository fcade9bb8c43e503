package io.webpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
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

        Set<String> fields = Arrays.stream(SessionDocument.class.getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(mapped).isEqualTo(fields);
        assertThat(template.at("/mappings/dynamic").asText()).isEqualTo("strict");
        assertThat(template.at("/index_patterns/0").asText()).isEqualTo(Indices.SESSIONS + "_v*");
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
