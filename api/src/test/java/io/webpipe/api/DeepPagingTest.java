package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.SessionDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cursor paging stays complete and ordered past Elasticsearch's 10,000-hit window. */
@ExtendWith(LocalInfra.class)
class DeepPagingTest {
    private static final int SESSIONS = 10_050;
    private static final String ALIAS = "deep-paging-test";

    @Test
    void pagesThroughMoreThanTenThousandSessions(ElasticsearchNode es, KafkaBroker kafka) {
        SessionFixtures.createIndex(es, ALIAS);
        List<SessionDocument> sessions = new ArrayList<>();
        Instant base = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < SESSIONS; i++) {
            // Three sessions share each start instant, so the sessionId tiebreaker is exercised on every page.
            String start = base.plusSeconds(i / 3).toString();
            sessions.add(SessionFixtures.session(String.format("deep-%05d", i), "v" + (i % 700), null, start, 1000, 2,
                    "/p" + (i % 10), null, "Chrome", "Linux", "Desktop"));
        }
        SessionFixtures.load(es, ALIAS, sessions);

        try (TestApi api = TestApi.start(es, kafka, ALIAS, "deep-paging-unused")) {
            List<String> seen = new ArrayList<>();
            String previousKey = null;
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = api.ok("/api/sessions?size=500" + (cursor == null ? "" : "&cursor=" + cursor));
                for (JsonNode s : page.get("sessions")) {
                    String key = s.get("start").asText() + " " + s.get("sessionId").asText();
                    if (previousKey != null) {
                        assertThat(key).as("newest first, sessionId descending on equal starts").isLessThan(previousKey);
                    }
                    previousKey = key;
                    seen.add(s.get("sessionId").asText());
                }
                cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
                pages++;
            } while (cursor != null);

            assertThat(pages).isEqualTo(21);
            assertThat(seen).hasSize(SESSIONS);
            Set<String> unique = new HashSet<>(seen);
            assertThat(unique).hasSize(SESSIONS);
            assertThat(seen.get(0)).isEqualTo("deep-10049");
            assertThat(seen.get(SESSIONS - 1)).isEqualTo("deep-00000");

            JsonNode overview = api.ok("/api/stats/overview");
            assertThat(overview.get("sessions").asLong()).isEqualTo(SESSIONS);
            assertThat(overview.get("visitors").asLong()).isEqualTo(700);
        }
    }
}
