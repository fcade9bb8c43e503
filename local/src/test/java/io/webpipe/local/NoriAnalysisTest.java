package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/** The embedded node analyses Korean under the official analysis-nori names and settings. */
@ExtendWith(LocalInfra.class)
class NoriAnalysisTest {

    @Test
    void noriAnalyzerSplitsCompoundNouns(ElasticsearchNode es) {
        JsonNode response = Http.send("POST", es.httpUrl() + "/_analyze", "{\"analyzer\":\"nori\",\"text\":\"삼성전자 갤럭시\"}");

        assertThat(tokens(response)).containsExactly("삼성", "전자", "갤럭시");
    }

    @Test
    void noriTokenizerInIndexSettingsKeepsCompoundAndPartsInMixedMode(ElasticsearchNode es) {
        String settings = """
                {"settings": {"analysis": {
                  "tokenizer": {"korean": {"type": "nori_tokenizer", "decompound_mode": "mixed",
                                           "user_dictionary_rules": ["나이키"]}},
                  "analyzer": {"korean": {"type": "custom", "tokenizer": "korean",
                               "filter": ["nori_readingform", "nori_part_of_speech", "lowercase"]}}}},
                 "mappings": {"properties": {"title": {"type": "text", "analyzer": "korean"}}}}
                """;
        Http.send("PUT", es.httpUrl() + "/nori-mixed", settings);

        JsonNode analyzed = Http.send("POST", es.httpUrl() + "/nori-mixed/_analyze",
                "{\"analyzer\":\"korean\",\"text\":\"삼성전자 운동화를\"}");
        // The particle 를 is dropped by the part-of-speech filter.
        assertThat(tokens(analyzed)).containsExactly("삼성전자", "삼성", "전자", "운동화", "운동", "화");

        Http.send("PUT", es.httpUrl() + "/nori-mixed/_doc/1?refresh=true", "{\"title\":\"삼성전자 갤럭시\"}");
        JsonNode hits = Http.send("POST", es.httpUrl() + "/nori-mixed/_search",
                "{\"query\":{\"match\":{\"title\":\"전자\"}}}").path("hits");
        assertThat(hits.path("total").path("value").asInt()).isEqualTo(1);
    }

    @Test
    void partOfSpeechFilterHonoursStoptags(ElasticsearchNode es) {
        String settings = """
                {"settings": {"analysis": {
                  "filter": {"no_nouns": {"type": "nori_part_of_speech", "stoptags": ["NNG", "NNP"]}},
                  "analyzer": {"verbs_only": {"type": "custom", "tokenizer": "nori_tokenizer", "filter": ["no_nouns"]}}}}}
                """;
        Http.send("PUT", es.httpUrl() + "/nori-stoptags", settings);

        JsonNode analyzed = Http.send("POST", es.httpUrl() + "/nori-stoptags/_analyze",
                "{\"analyzer\":\"verbs_only\",\"text\":\"삼성전자 갤럭시\"}");
        assertThat(tokens(analyzed)).isEmpty();
    }

    private static List<String> tokens(JsonNode analyzeResponse) {
        List<String> tokens = new ArrayList<>();
        analyzeResponse.path("tokens").forEach(token -> tokens.add(token.path("token").asText()));
        return tokens;
    }
}
