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

/** The page document class and its index template describe the same fields; the title is searchable every way the contract names. */
class PageSchemaTest {
    private final JsonNode template = readTemplate();

    @Test
    void templateMapsExactlyTheDocumentFieldsPlusTheSearchAliases() {
        Set<String> mapped = new TreeSet<>();
        template.at("/mappings/properties").fields().forEachRemaining(e -> {
            if (!"alias".equals(e.getValue().path("type").asText())) {
                mapped.add(e.getKey());
            }
        });
        Set<String> fields = Arrays.stream(PageDocument.class.getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(mapped).isEqualTo(fields);
        assertThat(template.at("/mappings/dynamic").asText()).isEqualTo("strict");
        assertThat(template.at("/index_patterns/0").asText()).isEqualTo(Indices.PAGES + "_v*");
    }

    @Test
    void titleSubFieldsAndAliasesAreTheContractNames() {
        Set<String> subFields = new TreeSet<>();
        template.at("/mappings/properties/pageTitle/fields").fieldNames().forEachRemaining(subFields::add);
        assertThat(subFields).containsExactlyInAnyOrder("exact", "keyword", "ngram", "chosung", "nori");

        JsonNode props = template.at("/mappings/properties");
        assertThat(props.at("/search_title/path").asText()).isEqualTo("pageTitle");
        for (String sub : subFields) {
            assertThat(props.at("/search_title_" + sub + "/path").asText()).isEqualTo("pageTitle." + sub);
        }
    }

    @Test
    void chosungRulesAreGeneratedForEverySyllable() {
        JsonNode rules = template.at("/settings/analysis/char_filter/chosung/mappings");
        assertThat(rules.size()).isEqualTo(11_172);
        assertThat(rules.get(0).asText()).isEqualTo("가=>ㄱ");
        assertThat(rules.get(rules.size() - 1).asText()).isEqualTo("힣=>ㅎ");
        assertThat(Chosung.of("나이키 운동화 Nike")).isEqualTo("ㄴㅇㅋ ㅇㄷㅎ Nike");
    }

    @Test
    void bothTemplatesKeepDeleteTombstonesForTheReindexCatchUp() throws Exception {
        for (String alias : new String[] {Indices.SESSIONS, Indices.PAGES}) {
            JsonNode settings = new ObjectMapper().readTree(Indices.template(alias)).path("settings");
            assertThat(settings.path("index.gc_deletes").asText()).as(alias).isEqualTo("1h");
        }
    }

    private static JsonNode readTemplate() {
        try {
            return new ObjectMapper().readTree(Indices.template(Indices.PAGES));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
