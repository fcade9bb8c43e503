package io.webpipe.api;

import static io.webpipe.api.SessionFixtures.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The analyst's figures over {@link SessionFixtures#analystSessions()} and {@link SessionFixtures#analystPages()}:
 * {@code /api/realtime} by a clock standing at {@link SessionFixtures#ANALYST_NOW}, the live, engaged, channel and
 * bot filters, bots left out of statistics unless {@code bots=include}, the grouping dimensions, the comparison
 * with the previous range.
 */
@ExtendWith(LocalInfra.class)
class AnalystFiguresTest {
    private static final String SESSIONS = "analyst-figures-test";
    private static final String PAGES = "analyst-figures-test-pages";
    private static final String RANGE = "from=2026-11-20&to=2026-11-22";

    private static TestApi api;

    @BeforeAll
    static void start(ElasticsearchNode es, KafkaBroker kafka) {
        SessionFixtures.createIndex(es, SESSIONS);
        SessionFixtures.load(es, SESSIONS, SessionFixtures.analystSessions());
        SessionFixtures.createIndex(es, PAGES, Indices.PAGES);
        SessionFixtures.loadPages(es, PAGES, SessionFixtures.analystPages());
        api = TestApi.startAt(SessionFixtures.ANALYST_NOW, es, kafka, SESSIONS, "analyst-figures-test-unused",
                "--elasticsearch.pages-alias", PAGES);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void realtimeCountsCurrentVisitorsLiveSessionsAndRecentPageViews() {
        JsonNode now = api.ok("/api/realtime");
        assertThat(now.get("now").asText()).isEqualTo("2026-11-21T12:00:00Z");
        assertThat(now.get("currentVisitors").asLong()).as("v1 and v5; the live bot is left out").isEqualTo(2);
        assertThat(now.get("liveSessions").asLong()).isEqualTo(1);
        assertThat(now.get("pageViews").asLong()).isEqualTo(21);

        JsonNode minutes = now.get("pageViewsPerMinute");
        assertThat(minutes).hasSize(30);
        assertThat(minutes.get(0).get("minute").asText()).isEqualTo("2026-11-21T11:31:00Z");
        assertThat(minutes.get(29).get("minute").asText()).isEqualTo("2026-11-21T12:00:00Z");
        List<String> nonEmpty = new ArrayList<>();
        minutes.forEach(m -> {
            if (m.get("views").asLong() > 0) {
                nonEmpty.add(m.get("minute").asText().substring(11, 16) + "=" + m.get("views").asLong());
            }
        });
        assertThat(nonEmpty).containsExactly("11:40=3", "11:45=5", "11:50=6", "11:57=4", "11:58=1", "11:59=2");

        JsonNode top = now.get("topPages");
        assertThat(top).hasSize(2);
        assertThat(top.get(0).get("pageTitle").asText()).isEqualTo("나이키 운동화");
        assertThat(top.get(0).get("url").asText()).isEqualTo("https://shop.example/p/nike-shoes");
        assertThat(top.get(0).get("views").asLong()).isEqualTo(6);
        assertThat(top.get(1).get("pageTitle").asText()).isEqualTo("Nike Air Max");
        assertThat(top.get(1).get("views").asLong()).isEqualTo(1);
        assertThat(api.ok("/api/realtime?limit=1").get("topPages")).hasSize(1);

        JsonNode withBots = api.ok("/api/realtime?bots=include");
        assertThat(withBots.get("currentVisitors").asLong()).isEqualTo(3);
        assertThat(withBots.get("liveSessions").asLong()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "live=true                 | a06 a08",
        "live=false&" + RANGE + "  | a07 a05 a04 a03 a02 a01",
        "engaged=true&" + RANGE + " | a06 a08 a07 a05 a03 a01",
        "engaged=false             | a04 a02 a09",
        "channel=Email             | a03",
        "channel=Organic%20Search  | a04 a01",
        "bot=true                  | a08 a05",
        "bot=false&live=true       | a06",
        "bounce=true&engaged=false&channel=Direct | a02 a09",
    })
    void filtersOnTheQualityFields(String query, String expected) {
        assertThat(String.join(" ", ids(api.ok("/api/sessions?" + query)))).isEqualTo(expected);
    }

    @Test
    void overviewLeavesOutBotsAndComparesWithThePreviousRange() {
        JsonNode o = api.ok("/api/stats/overview?" + RANGE + "&compare=previous");
        assertThat(o.get("sessions").asLong()).isEqualTo(6);
        assertThat(o.get("visitors").asLong()).isEqualTo(5);
        assertThat(o.get("pageViews").asLong()).isEqualTo(13);
        assertThat(o.get("bounceRate").asDouble()).isCloseTo(2 / 6.0, within(1e-9));
        assertThat(o.get("engagedSessions").asLong()).isEqualTo(4);
        assertThat(o.get("engagedRate").asDouble()).isCloseTo(4 / 6.0, within(1e-9));
        assertThat(o.get("avgDurationMs").asDouble()).isCloseTo(635_000 / 6.0, within(0.01));
        assertThat(o.get("pagesPerSession").asDouble()).isCloseTo(13 / 6.0, within(1e-9));

        JsonNode previous = o.get("previous");
        assertThat(previous.get("from").asText()).isEqualTo("2026-11-18T00:00:00Z");
        assertThat(previous.get("to").asText()).isEqualTo("2026-11-20T00:00:00Z");
        assertThat(previous.get("sessions").asLong()).isEqualTo(2);
        assertThat(previous.get("engagedRate").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(previous.has("previous")).isFalse();
        assertThat(api.ok("/api/stats/overview?" + RANGE).has("previous")).isFalse();

        JsonNode withBots = api.ok("/api/stats/overview?" + RANGE + "&bots=include");
        assertThat(withBots.get("sessions").asLong()).isEqualTo(8);
        assertThat(withBots.get("visitors").asLong()).isEqualTo(7);
        assertThat(withBots.get("pageViews").asLong()).isEqualTo(26);
        assertThat(api.ok("/api/stats/overview?" + RANGE + "&bots=exclude").get("sessions").asLong()).isEqualTo(6);
    }

    @Test
    void timeseriesLeavesOutBotsUnlessIncluded() {
        String series = "/api/stats/timeseries?interval=day&" + RANGE;
        assertThat(api.ok(series).get("buckets").get(1).get("sessions").asLong()).isEqualTo(3);
        assertThat(api.ok(series + "&bots=include").get("buckets").get(1).get("sessions").asLong()).isEqualTo(5);
    }

    @Test
    void topGroupsByTheAnalystsDimensions() {
        assertThat(items("channel", "")).containsExactly("Organic Search=2", "Direct=1", "Email=1", "Organic Social=1", "Referral=1");
        assertThat(items("channel", "&bots=include")).startsWith("Direct=3", "Organic Search=2");
        assertThat(items("landingPage", "")).containsExactly("/=2", "/products/nike-shoes=2", "/cart=1", "/products/nike-air=1");
        assertThat(items("exitPage", "")).startsWith("/=2");
        assertThat(items("referrerHost", "")).containsExactlyInAnyOrder(
                "blog.example.org=1", "m.facebook.com=1", "search.naver.com=1", "www.google.com=1");
        assertThat(items("utmSource", "")).containsExactly("newsletter=1");
        assertThat(items("utmMedium", "")).containsExactly("email=1");
        assertThat(items("utmCampaign", "")).containsExactly("black-friday=1");
        assertThat(items("deviceType", "")).containsExactly("desktop=3", "mobile=3");
        assertThat(items("deviceType", "&bots=include")).contains("spider=1");
        for (String dimension : List.of("browser", "os", "entryUrl", "exitUrl", "referrer")) {
            assertThat(api.get("/api/stats/top?dimension=" + dimension).status()).as(dimension).isEqualTo(200);
        }
    }

    @Test
    void topPagesCountBotViewsOnlyWhenIncluded() {
        assertThat(pages("")).containsExactly("nike-air=800", "nike-shoes=500", "home=300", "old=40");
        assertThat(pages("?bots=include")).containsExactly("home=900", "nike-air=800", "nike-shoes=520", "old=40");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/stats/overview?bots=all                      | bots    | [exclude, include]",
        "/api/stats/top?dimension=channel&bots=INCLUDE     | bots    | [exclude, include]",
        "/api/stats/timeseries?bots=                        | -       | -",
        "/api/pages/top?bots=yes                           | bots    | [exclude, include]",
        "/api/realtime?bots=1                              | bots    | [exclude, include]",
        "/api/realtime?limit=0                             | limit   | between 1 and 50",
        "/api/realtime?from=2026-11-20                     | from    | unknown parameter",
        "/api/stats/overview?compare=previous&from=2026-11-20 | compare | needs both",
        "/api/stats/overview?compare=next&" + RANGE + "     | compare | [previous]",
        "/api/stats/overview?compare=previous&from=0000-01-01&to=2026-01-01 | from | no range before",
        "/api/stats/top?dimension=landingpage              | dimension | one of",
        "/api/sessions?live=maybe                          | live    | true or false",
        "/api/sessions?engaged=1                           | engaged | true or false",
        "/api/sessions?bot=yes                             | bot     | true or false",
        "/api/sessions?bots=include                        | bots    | unknown parameter",
    })
    void badParametersAreClear400s(String path, String field, String message) {
        TestApi.Reply reply = api.get(path);
        if (field.equals("-")) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200); // an empty value is an absent one
            return;
        }
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo(field);
        assertThat(reply.json().get("message").asText()).contains(message);
    }

    private static List<String> items(String dimension, String extra) {
        List<String> items = new ArrayList<>();
        api.ok("/api/stats/top?dimension=" + dimension + "&" + RANGE + extra).get("items")
                .forEach(i -> items.add(i.get("value").asText() + "=" + i.get("sessions").asLong()));
        return items;
    }

    private static List<String> pages(String query) {
        List<String> pages = new ArrayList<>();
        api.ok("/api/pages/top" + query).get("pages").forEach(p -> pages.add(p.get("pageId").asText() + "=" + p.get("views").asLong()));
        return pages;
    }
}
