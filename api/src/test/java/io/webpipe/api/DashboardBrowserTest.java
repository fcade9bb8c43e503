package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard at {@code /} in a real headless Chromium over the analyst data set ({@link SessionFixtures}): the
 * figures it shows are the API's, its chart has rendered, the search box pre-filled with ㄴㅇㅋ lists 나이키 운동화.
 * Screenshots at desktop and phone width go to {@code target/} (the README's one is the desktop screenshot).
 */
@ExtendWith(LocalInfra.class)
class DashboardBrowserTest {
    private static final String SESSIONS = "dashboard-browser-test";
    private static final String PAGES = "dashboard-browser-test-pages";
    /** The page's range: UTC days, both included, so the API's is [2026-11-20, 2026-11-22). */
    private static final String PAGE_RANGE = "from=2026-11-20&to=2026-11-21";
    private static final String API_RANGE = "from=2026-11-20&to=2026-11-22";
    private static final List<String> FIGURES =
            List.of("visitors", "sessions", "pageViews", "bounceRate", "engagedRate", "avgDurationMs", "pagesPerSession");

    @BeforeAll
    static void requireChromium() {
        Chromium.require();
    }

    @Test
    void showsTheApisFiguresAChartAndKoreanSearch(ElasticsearchNode es, KafkaBroker kafka, @TempDir Path work) throws Exception {
        SessionFixtures.createIndex(es, SESSIONS);
        SessionFixtures.load(es, SESSIONS, SessionFixtures.analystSessions());
        SessionFixtures.createIndex(es, PAGES, Indices.PAGES);
        SessionFixtures.loadPages(es, PAGES, SessionFixtures.analystPages());
        try (TestApi api = TestApi.startAt(SessionFixtures.ANALYST_NOW, es, kafka, SESSIONS, "dashboard-browser-test-unused",
                "--elasticsearch.pages-alias", PAGES)) {
            String url = api.base + "/?lang=en&" + PAGE_RANGE + "&q=" + URLEncoder.encode("ㄴㅇㅋ", StandardCharsets.UTF_8);
            String dom = Chromium.dumpDom(url, 1400, 900, work);
            assertThat(dom).as("the page finished loading; Chromium: %s", Chromium.log(work)).contains("data-ready=\"true\"");
            assertThat(dom).doesNotContain("Could not load");

            JsonNode overview = api.ok("/api/stats/overview?" + API_RANGE);
            for (String figure : FIGURES) {
                assertThat(Double.parseDouble(attribute(dom, "data-figure=\"" + figure + "\" data-value=\"([^\"]*)\"")))
                        .as(figure).isEqualTo(overview.get(figure).asDouble());
            }
            assertThat(attribute(dom, "data-figure=\"visitors\"[^>]*>([^<]*)<")).as("as shown").isEqualTo(overview.get("visitors").asText());

            JsonNode realtime = api.ok("/api/realtime");
            for (String figure : List.of("currentVisitors", "liveSessions")) {
                assertThat(attribute(dom, "data-realtime=\"" + figure + "\" data-value=\"([^\"]*)\"")).as(figure)
                        .isEqualTo(realtime.get(figure).asText());
            }

            JsonNode series = api.ok("/api/stats/timeseries?interval=hour&" + API_RANGE);
            assertThat(attribute(dom, "id=\"chart\"[^>]*data-points=\"(\\d+)\"")).isEqualTo(String.valueOf(series.get("buckets").size()));
            Matcher canvas = Pattern.compile("id=\"chart\".*?<canvas width=\"(\\d+)\" height=\"(\\d+)\"", Pattern.DOTALL).matcher(dom);
            assertThat(canvas.find()).as("a chart canvas").isTrue();
            assertThat(Integer.parseInt(canvas.group(1))).isPositive();
            assertThat(Integer.parseInt(canvas.group(2))).isPositive();

            String results = section(dom, "id=\"search-results\"", "</table>");
            assertThat(results).contains("data-query=\"ㄴㅇㅋ\"", "나이키 운동화", ">500<", ">250<");
            assertThat(section(dom, "id=\"top-channel\"", "</table>")).contains("Organic Search");
            assertThat(section(dom, "id=\"realtime-pages\"", "</table>")).contains("나이키 운동화");
            assertThat(attribute(dom, "id=\"sessions\"[^>]*data-count=\"(\\d+)\""))
                    .isEqualTo(api.ok("/api/sessions?size=20&" + API_RANGE).get("count").asText());

            Path target = Path.of("target");
            Chromium.screenshot(url, 1400, 900, target.resolve("dashboard-desktop.png"), work);
            Chromium.screenshot(api.base + "/?lang=ko&" + PAGE_RANGE + "&q=" + URLEncoder.encode("ㄴㅇㅋ", StandardCharsets.UTF_8),
                    390, 844, target.resolve("dashboard-phone.png"), work);
            assertThat(Files.size(target.resolve("dashboard-desktop.png"))).isGreaterThan(10_000);
            assertThat(Files.size(target.resolve("dashboard-phone.png"))).isGreaterThan(10_000);
        }
    }

    /** The first group of the first match of {@code regex} in the page. */
    private static String attribute(String dom, String regex) {
        Matcher m = Pattern.compile(regex).matcher(dom);
        assertThat(m.find()).as("%s in the page", regex).isTrue();
        return m.group(1);
    }

    private static String section(String dom, String start, String end) {
        int from = dom.indexOf(start);
        assertThat(from).as("%s in the page", start).isNotNegative();
        return dom.substring(from, dom.indexOf(end, from));
    }
}
