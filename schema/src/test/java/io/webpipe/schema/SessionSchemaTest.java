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
}
