package io.webpipe.api;

import static io.webpipe.api.SessionFixtures.ids;
import static io.webpipe.api.SessionFixtures.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.SessionDocument;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every analyst endpoint over a small set of fixture sessions in a real Elasticsearch node. */
@ExtendWith(LocalInfra.class)
class SessionsApiTest {
    private static final String ALIAS = "sessions-api-test";
    /** All fixtures, newest first; s05 and s06 start at the same instant and are ordered by sessionId. */
    private static final List<String> NEWEST_FIRST = List.of("s06", "s05", "s04", "s02", "s03", "s01", "s07");

    private static TestApi api;

    @BeforeAll
    static void start(ElasticsearchNode es, KafkaBroker kafka) {
        SessionFixtures.createIndex(es, ALIAS);
        SessionFixtures.load(es, ALIAS, List.of(
                session("s01", "v1", "u1", "2026-11-20T10:00:00Z", 60_000, 3, "/home", "news", "Chrome", "Linux", "Desktop"),
                session("s02", "v1", "u1", "2026-11-20T11:00:00Z", 0, 1, "/home", null, "Chrome", "Linux", "Desktop"),
                session("s03", "v2", null, "2026-11-20T10:30:00Z", 120_000, 5, "/shoes", "ads", "Firefox", "Windows", "Desktop"),
                session("s04", "v3", null, "2026-11-20T12:00:00Z", 0, 1, "/shoes", null, "Safari", "iOS", "Mobile"),
                session("s05", "v2", null, "2026-11-21T09:00:00Z", 30_000, 2, "/home", "news", "Firefox", "Windows", "Desktop"),
                session("s06", "v4", null, "2026-11-21T09:00:00Z", 10_000, 2, "/sale", null, "Chrome", "Android", "Mobile"),
                session("s07", "v5", null, "2026-11-19T08:00:00Z", 0, 1, "/home", null, "Chrome", "Linux", "Desktop")));
        api = TestApi.start(es, kafka, ALIAS, "sessions-api-test-unused");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void listsSessionsNewestFirstWithTheFullDocument() {
        TestApi.Reply reply = api.get("/api/sessions");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode page = reply.json();
        assertThat(ids(page)).isEqualTo(NEWEST_FIRST);
        assertThat(page.get("count").asInt()).isEqualTo(7);
        assertThat(page.has("nextCursor")).isFalse();
        JsonNode s03 = page.get("sessions").get(4);
        assertThat(s03.get("visitorId").asText()).isEqualTo("v2");
        assertThat(s03.get("start").asText()).isEqualTo("2026-11-20T10:30:00Z");
        assertThat(s03.get("durationMs").asLong()).isEqualTo(120_000);
        assertThat(s03.get("pages")).hasSize(5);
        assertThat(s03.get("eventTypes")).hasSize(1);
        assertThat(s03.get("eventTypes").get(0).get("type").asText()).isEqualTo("page_view");
        assertThat(s03.get("eventTypes").get(0).get("count").asInt()).isEqualTo(5);
        assertThat(s03.get("browser").asText()).isEqualTo("Firefox");
        assertThat(s03.has(SessionDocument.VISITOR_HASH)).as("for Elasticsearch only").isFalse();
    }

    @Test
    void pagesWithCursorsAcrossSeveralPages() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.ok("/api/sessions?size=2" + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(ids(page));
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(4);
        assertThat(seen).isEqualTo(NEWEST_FIRST);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "visitorId=v1                        | s02 s01",
        "userId=u1                           | s02 s01",
        "from=2026-11-20&to=2026-11-21       | s04 s02 s03 s01",
        "from=2026-11-20T11:00:00Z           | s06 s05 s04 s02",
        "to=1795172400000                    | s03 s01 s07",
        "from=2026-11-20T19:00:00%2B09:00&to=2026-11-20T21:00:00%2B09:00 | s02 s03 s01",
        "minDurationMs=60000                 | s03 s01",
        "bounce=true                         | s04 s02 s07",
        "bounce=false                        | s06 s05 s03 s01",
        "entryUrl=/shoes                     | s04 s03",
        "utmSource=news                      | s05 s01",
        "visitorId=v2&utmSource=ads          | s03",
        "visitorId=nobody                    | ''",
    })
    void filters(String query, String expected) {
        TestApi.Reply reply = api.get("/api/sessions?" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(String.join(" ", ids(reply.json()))).isEqualTo(expected);
    }

    @Test
    void userInputIsATermNeverQueryText() {
        for (String hostile : List.of("v1 OR visitorId:*", "*", "\" } }, \"query\": { \"match_all\": {} } }", "v1\\")) {
            TestApi.Reply reply = api.get("/api/sessions?visitorId=" + URLEncoder.encode(hostile, StandardCharsets.UTF_8));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(ids(reply.json())).isEmpty();
        }
    }

    @Test
    void getsOneSessionOr404() {
        TestApi.Reply found = api.get("/api/sessions/s04");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("sessionId").asText()).isEqualTo("s04");
        assertThat(found.json().get("deviceType").asText()).isEqualTo("Mobile");
        assertThat(found.json().get("bounce").asBoolean()).isTrue();
        assertThat(found.json().has(SessionDocument.VISITOR_HASH)).as("for Elasticsearch only").isFalse();

        TestApi.Reply missing = api.get("/api/sessions/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
        assertThat(missing.json().get("message").asText()).contains("nope");
    }

    @Test
    void listsTheSessionsOfOneVisitorWithPaging() {
        assertThat(ids(api.ok("/api/visitors/v2/sessions"))).containsExactly("s05", "s03");
        JsonNode first = api.ok("/api/visitors/v2/sessions?size=1");
        assertThat(ids(first)).containsExactly("s05");
        JsonNode second = api.ok("/api/visitors/v2/sessions?size=1&cursor=" + first.get("nextCursor").asText());
        assertThat(ids(second)).containsExactly("s03");
        assertThat(second.has("nextCursor")).isFalse();
        assertThat(ids(api.ok("/api/visitors/v2/sessions?utmSource=ads"))).containsExactly("s03");
        assertThat(ids(api.ok("/api/visitors/unknown/sessions"))).isEmpty();
    }

    @Test
    void overviewOfARange() {
        JsonNode o = api.ok("/api/stats/overview?from=2026-11-20&to=2026-11-22");
        assertThat(o.get("from").asText()).isEqualTo("2026-11-20T00:00:00Z");
        assertThat(o.get("to").asText()).isEqualTo("2026-11-22T00:00:00Z");
        assertThat(o.get("sessions").asLong()).isEqualTo(6);
        assertThat(o.get("visitors").asLong()).isEqualTo(4);
        assertThat(o.get("pageViews").asLong()).isEqualTo(14);
        assertThat(o.get("avgDurationMs").asDouble()).isCloseTo(220_000 / 6.0, within(0.01));
        assertThat(o.get("bounceRate").asDouble()).isCloseTo(2 / 6.0, within(1e-9));
        assertThat(o.get("pagesPerSession").asDouble()).isCloseTo(14 / 6.0, within(1e-9));

        JsonNode all = api.ok("/api/stats/overview");
        assertThat(all.get("sessions").asLong()).isEqualTo(7);
        assertThat(all.get("visitors").asLong()).isEqualTo(5);

        JsonNode empty = api.ok("/api/stats/overview?from=2030-01-01&to=2030-01-02");
        assertThat(empty.get("sessions").asLong()).isZero();
        assertThat(empty.get("avgDurationMs").asDouble()).isZero();
        assertThat(empty.get("bounceRate").asDouble()).isZero();
    }

    @Test
    void timeseriesPerDayAndPerHourWithEmptyBuckets() {
        JsonNode days = api.ok("/api/stats/timeseries?interval=day&from=2026-11-19&to=2026-11-22");
        assertThat(days.get("interval").asText()).isEqualTo("day");
        assertThat(days.get("buckets")).hasSize(3);
        assertBucket(days.get("buckets").get(0), "2026-11-19T00:00:00Z", 1, 1, 1);
        assertBucket(days.get("buckets").get(1), "2026-11-20T00:00:00Z", 4, 3, 10);
        assertBucket(days.get("buckets").get(2), "2026-11-21T00:00:00Z", 2, 2, 4);

        JsonNode hours = api.ok("/api/stats/timeseries?interval=hour&from=2026-11-20T09:00:00Z&to=2026-11-20T14:00:00Z");
        assertThat(hours.get("buckets")).hasSize(5);
        assertBucket(hours.get("buckets").get(0), "2026-11-20T09:00:00Z", 0, 0, 0);
        assertBucket(hours.get("buckets").get(1), "2026-11-20T10:00:00Z", 2, 2, 8);
        assertBucket(hours.get("buckets").get(2), "2026-11-20T11:00:00Z", 1, 1, 1);
        assertBucket(hours.get("buckets").get(3), "2026-11-20T12:00:00Z", 1, 1, 1);
        assertBucket(hours.get("buckets").get(4), "2026-11-20T13:00:00Z", 0, 0, 0);

        JsonNode minutes = api.ok("/api/stats/timeseries?interval=minute&from=2026-11-20T10:00:00Z&to=2026-11-20T10:31:00Z");
        assertThat(minutes.get("buckets")).hasSize(31);
        assertBucket(minutes.get("buckets").get(30), "2026-11-20T10:30:00Z", 1, 1, 5);
    }

    private static void assertBucket(JsonNode bucket, String time, long sessions, long visitors, long pageViews) {
        assertThat(bucket.get("time").asText()).isEqualTo(time);
        assertThat(bucket.get("sessions").asLong()).as("sessions at " + time).isEqualTo(sessions);
        assertThat(bucket.get("visitors").asLong()).as("visitors at " + time).isEqualTo(visitors);
        assertThat(bucket.get("pageViews").asLong()).as("page views at " + time).isEqualTo(pageViews);
    }

    @Test
    void topValuesOfEachDimension() {
        JsonNode browsers = api.ok("/api/stats/top?dimension=browser");
        assertThat(browsers.get("dimension").asText()).isEqualTo("browser");
        assertThat(browsers.get("items").get(0).get("value").asText()).isEqualTo("Chrome");
        assertThat(browsers.get("items").get(0).get("sessions").asLong()).isEqualTo(4);
        assertThat(browsers.get("items").get(0).get("visitors").asLong()).isEqualTo(3);
        assertThat(browsers.get("items").get(1).get("value").asText()).isEqualTo("Firefox");
        assertThat(browsers.get("items")).hasSize(3);

        JsonNode limited = api.ok("/api/stats/top?dimension=browser&limit=1");
        assertThat(limited.get("items")).hasSize(1);
        assertThat(limited.get("otherSessions").asLong()).isEqualTo(3);

        JsonNode entries = api.ok("/api/stats/top?dimension=entryUrl&from=2026-11-20&to=2026-11-21");
        assertThat(entries.get("items").get(0).get("value").asText()).isIn("/home", "/shoes");
        assertThat(entries.get("items").get(0).get("sessions").asLong()).isEqualTo(2);

        for (String dimension : List.of("exitUrl", "referrer", "utmSource", "utmCampaign", "os", "deviceType")) {
            assertThat(api.get("/api/stats/top?dimension=" + dimension).status()).as(dimension).isEqualTo(200);
        }
        assertThat(api.ok("/api/stats/top?dimension=utmSource").get("items").get(0).get("value").asText()).isEqualTo("news");
    }
}
