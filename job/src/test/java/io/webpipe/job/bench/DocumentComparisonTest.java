package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.schema.SessionDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void equalDocumentsDifferOnlyInUpdatedAtAndNumberTypes() throws Exception {
        SessionDocument expected = session("s1", 3);
        // Elasticsearch returns small longs as ints: they must still compare equal.
        JsonNode got = JSON.readTree(JSON.writeValueAsString(session("s1", 3)).replace("\"updatedAt\":null", "\"updatedAt\":\"2026-12-01T00:00:00Z\""));
        assertThat(DocumentComparison.differences(Map.of("s1", expected), Map.of("s1", got))).isEmpty();
    }

    @Test
    void oneFieldOffIsADifferenceNotJustACount() throws Exception {
        SessionDocument other = session("s1", 3);
        other.exitUrl = "https://shop.example/other";
        assertThat(DocumentComparison.differences(Map.of("s1", session("s1", 3)), Map.of("s1", JSON.valueToTree(other))))
                .singleElement().asString().startsWith("differs s1").contains("shop.example/other");
    }

    @Test
    void missingAndUnexpectedDocumentsAreDifferences() {
        assertThat(DocumentComparison.differences(Map.of("s1", session("s1", 1)), Map.of("s2", JSON.valueToTree(session("s2", 1)))))
                .containsExactly("unexpected s2: " + JSON.valueToTree(session("s2", 1)), "missing s1");
    }

    private static SessionDocument session(String id, int events) {
        SessionDocument doc = new SessionDocument();
        doc.sessionId = id;
        doc.visitorId = "v";
        doc.eventCount = events;
        doc.durationMs = 1000L * events;
        doc.pages.add("https://shop.example/");
        doc.eventTypes.add(new SessionDocument.EventTypeCount("page_view", events));
        return doc;
    }
}
