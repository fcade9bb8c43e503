package io.webpipe.api.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.api.http.Json;
import io.webpipe.schema.SessionDocument;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticSessionsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final SyntheticSessions sessions = new SyntheticSessions(3_000, NOW);

    @Test
    void theSameIndexGivesTheSameDocument() {
        assertThat(Json.write(sessions.session(42))).isEqualTo(Json.write(new SyntheticSessions(3_000, NOW).session(42)));
        assertThat(sessions.session(42).sessionId).isEqualTo(SyntheticSessions.id(42)).isNotEqualTo(SyntheticSessions.id(43));
    }

    @Test
    void documentsFollowTheJobsRulesAndVary() {
        Set<String> visitors = new HashSet<>();
        Set<String> channels = new HashSet<>();
        int bots = 0;
        int live = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            SessionDocument s = sessions.session(i);
            Instant start = Instant.parse(s.start);
            assertThat(start).isBetween(NOW.minus(SyntheticSessions.SPAN), NOW);
            assertThat(Instant.parse(s.end)).isBetween(start, NOW);
            assertThat(s.durationMs).isEqualTo(Instant.parse(s.end).toEpochMilli() - start.toEpochMilli());
            assertThat(s.pages).hasSize(Math.min(s.pageViews, SessionDocument.MAX_PAGES)).startsWith(s.entryUrl);
            assertThat(s.bounce).isEqualTo(s.pageViews == 1);
            assertThat(s.engaged).isEqualTo(s.durationMs > 10_000 || s.pageViews >= 2);
            assertThat(s.live).isEqualTo(start.isAfter(NOW.minus(SyntheticSessions.LIVE_WINDOW)));
            assertThat(s.eventTypes.stream().mapToInt(t -> t.count).sum()).isEqualTo(s.eventCount);
            visitors.add(s.visitorId);
            channels.add(s.channel);
            bots += s.bot ? 1 : 0;
            live += s.live ? 1 : 0;
        }
        assertThat(visitors.size()).isBetween(1_500, 3_000);
        assertThat(channels).contains("Direct", "Organic Search", "Paid Search", "Email", "Referral");
        assertThat(bots).isBetween(n / 100, n / 20);
        assertThat(live).isPositive();
    }
}
