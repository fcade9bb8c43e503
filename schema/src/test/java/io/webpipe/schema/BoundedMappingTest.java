package io.webpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No input can grow a mapping or be refused for its size: strict mappings, every keyword bounded. */
class BoundedMappingTest {

    @ParameterizedTest
    @ValueSource(strings = {Indices.SESSIONS, Indices.PAGES})
    void everyKeywordFieldIsBoundedAndNothingIsDynamic(String alias) throws Exception {
        JsonNode mappings = new ObjectMapper().readTree(Indices.template(alias)).path("mappings");
        assertThat(mappings.path("dynamic").asText()).isEqualTo("strict");
        assertThat(mappings.has("dynamic_templates")).isFalse();
        List<String> unbounded = new ArrayList<>();
        collectUnboundedKeywords("", mappings.path("properties"), unbounded);
        assertThat(unbounded).isEmpty();
    }

    private static void collectUnboundedKeywords(String path, JsonNode properties, List<String> unbounded) {
        properties.fields().forEachRemaining(field -> {
            JsonNode mapping = field.getValue();
            String name = path + field.getKey();
            assertThat(mapping.path("dynamic").asText("strict")).as(name).isNotEqualTo("true");
            // 8191 characters keep a UTF-8 term under Lucene's 32,766-byte limit.
            if (mapping.path("type").asText().equals("keyword") && !(mapping.path("ignore_above").asInt(Integer.MAX_VALUE) <= 8191)) {
                unbounded.add(name);
            }
            collectUnboundedKeywords(name + ".", mapping.path("properties"), unbounded);
            collectUnboundedKeywords(name + ".", mapping.path("fields"), unbounded);
        });
    }
}
