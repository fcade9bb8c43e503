package io.webpipe.api;

import static io.webpipe.api.SessionFixtures.page;
import static io.webpipe.api.SessionFixtures.session;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import io.webpipe.schema.PageDocument;
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

/** Korean-aware title search, top pages and the page filter of the session lists, on the real web-pages analysis. */
@ExtendWith(LocalInfra.class)
class PagesApiTest {
    private static final String PAGES = "pages-api-test";
    private static final String SESSIONS = "pages-api-test-sessions";
    private static TestApi api;

    @BeforeAll
    static void start(ElasticsearchNode es, KafkaBroker kafka) {
        SessionFixtures.createIndex(es, PAGES, Indices.PAGES);
        SessionFixtures.loadPages(es, PAGES, List.of(
                page("nike", "나이키", 50, "2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z"),
                page("nike-shoes", "나이키 운동화", 500, "2026-11-20T10:00:00Z", "2026-11-21T12:00:00Z"),
                page("nike-air", "Nike Air Max", 800, "2026-11-19T10:00:00Z", "2026-11-21T12:00:00Z"),
                page("nike-store", "NIKE 공식 스토어", 60, "2026-11-21T10:00:00Z", "2026-11-21T11:00:00Z"),
                page("galaxy", "삼성 전자 갤럭시 S24", 300, "2026-11-18T10:00:00Z", "2026-11-19T12:00:00Z"),
                page("fridge", "삼성전자 냉장고", 200, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z"),
                page("wash", "운동화 세탁 방법", 100, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z"),
                page("adidas", "아디다스 운동복", 120, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z"),
                page("iphone-case", "Apple iPhone 15 케이스", 90, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z"),
                page("laptops", "노트북 추천", 70, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z"),
                page("gram", "LG 그램 노트북", 40, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z"),
                page("buds", "갤럭시 버즈", 30, "2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z")));

        SessionFixtures.createIndex(es, SESSIONS);
        SessionFixtures.load(es, SESSIONS, List.of(
                viewing("s1", "2026-11-20T10:00:00Z", "/p/nike-shoes", "/p/wash"),
                viewing("s2", "2026-11-20T11:00:00Z", "/p/galaxy"),
                viewing("s3", "2026-11-20T12:00:00Z", "/p/fridge", "/p/nike"),
                viewing("s4", "2026-11-20T13:00:00Z", "/p/laptops")));
        api = TestApi.start(es, kafka, SESSIONS, "pages-api-test-unused", "--elasticsearch.pages-alias", PAGES);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** Query -> a title that must be among the results (mode auto unless given). */
    @ParameterizedTest(name = "[{index}] {0} ({2}) finds {1}")
    @CsvSource(delimiter = '|', value = {
            "나이키            | 나이키 운동화             | auto",
            "나이              | 나이키 운동화             | auto",
            "nik               | Nike Air Max              | auto",
            "nik               | NIKE 공식 스토어          | auto",
            "ＮＩＫＥ          | Nike Air Max              | auto",
            "NIKE AIR MAX      | Nike Air Max              | auto",
            "ｎｉｋｅ ａｉｒ   | Nike Air Max              | auto",
            "ㄴㅇㅋ            | 나이키                    | auto",
            "ㄴㅇㅋ            | 나이키 운동화             | auto",
            "ㅇㄷㅎ            | 운동화 세탁 방법          | auto",
            "ㅇㄷㅎ            | 나이키 운동화             | auto",
            "나ㅇㅋ            | 나이키 운동화             | auto",
            "ㄱㄹㅅ            | 갤럭시 버즈               | auto",
            "ㄴㅇㅋ ㅇㄷㅎ     | 나이키 운동화             | auto",
            "운동화를          | 나이키 운동화             | auto",
            "삼성전자          | 삼성 전자 갤럭시 S24      | auto",
            "삼성전자          | 삼성전자 냉장고           | auto",
            "삼성 전자         | 삼성전자 냉장고           | auto",
            "나이키운동화      | 나이키 운동화             | auto",
            "갤럭시            | 삼성 전자 갤럭시 S24      | auto",
            "iphone 케이스     | Apple iPhone 15 케이스    | auto",
            "노트북            | LG 그램 노트북            | auto",
            "lg 그램           | LG 그램 노트북            | auto",
            "냉장고            | 삼성전자 냉장고           | auto",
            "운동              | 아디다스 운동복           | auto",
            "세탁 방법         | 운동화 세탁 방법          | auto",
            "nike a            | Nike Air Max              | prefix",
            "운동화를          | 운동화 세탁 방법          | morph",
            "ㄴㅌㅂ            | 노트북 추천               | chosung",
            " nike air max     | Nike Air Max              | exact",
    })
    void findsTheTitle(String q, String title, String mode) {
        assertThat(titles(search(q, mode))).contains(title);
    }

    @Test
    void autoRanksExactThenPrefixThenMorphologicalMatches() {
        JsonNode answer = search("나이키", "auto");
        assertThat(answer.get("mode").asText()).isEqualTo("auto");
        // exact whole title first; then the prefix matches by views.
        assertThat(titles(answer)).containsExactly("나이키", "나이키 운동화");
        assertThat(answer.at("/pages/0/score").floatValue()).isEqualTo(111f); // exact + prefix + morph tiers
        assertThat(answer.at("/pages/1/score").floatValue()).isEqualTo(11f);  // prefix + morph

        // "운동화": prefix matches ("운동화 ..." and "... 운동화"), by views; no morphological-only match ranks above them.
        assertThat(titles(search("운동화", "auto"))).startsWith("나이키 운동화", "운동화 세탁 방법");

        // "삼성전자": whole title of no page; prefix of "삼성전자 냉장고" outranks the morphological match "삼성 전자 갤럭시 S24" despite fewer views.
        assertThat(titles(search("삼성전자", "auto"))).containsExactly("삼성전자 냉장고", "삼성 전자 갤럭시 S24");

        JsonNode scored = search("Nike Air Max", "auto").get("pages").get(0);
        assertThat(scored.get("pageTitle").asText()).isEqualTo("Nike Air Max");
        assertThat(scored.get("views").asLong()).isEqualTo(800);
        assertThat(scored.get("url").asText()).isEqualTo("/p/nike-air");
    }

    @Test
    void consonantInputIsAChosungQuery() {
        assertThat(search("ㄴㅇㅋ", "auto").get("mode").asText()).isEqualTo("chosung");
        assertThat(search("나ㅇㅋ", "auto").get("mode").asText()).isEqualTo("chosung");
        assertThat(titles(search("ㄴㅇㅋ", "auto"))).containsExactly("나이키", "나이키 운동화");
    }

    @Test
    void modesAreStrict() {
        assertThat(titles(search("나이키 운동화", "exact"))).containsExactly("나이키 운동화");
        assertThat(titles(search("나이", "exact"))).isEmpty();
        assertThat(titles(search("운동화를", "prefix"))).isEmpty();
        assertThat(titles(search("나이키운동화", "morph"))).contains("나이키 운동화");
    }

    @Test
    void typosAreNotCorrected() {
        assertThat(titles(search("nkie", "auto"))).isEmpty();
        assertThat(titles(search("나키이", "auto"))).isEmpty();
        assertThat(titles(search("ㄴㅇㅋㅇㄷㅎ", "auto"))).as("consonants across a missing space").isEmpty();
    }

    @Test
    void limitCutsTheRanking() {
        assertThat(titles(api.ok("/api/pages/search?q=" + enc("ㄴ") + "&limit=1"))).hasSize(1);
    }

    @Test
    void topPagesByViewsInRange() {
        assertThat(titles(api.ok("/api/pages/top?limit=3"))).containsExactly("Nike Air Max", "나이키 운동화", "삼성 전자 갤럭시 S24");
        // Seen on 2026-11-21: last seen on or after that day and first seen before its end.
        assertThat(titles(api.ok("/api/pages/top?from=2026-11-21&to=2026-11-22")))
                .containsExactly("Nike Air Max", "나이키 운동화", "NIKE 공식 스토어");
    }

    @Test
    void sessionsThatViewedMatchingPages() {
        assertThat(SessionFixtures.ids(api.ok("/api/sessions?page=" + enc("운동화")))).containsExactly("s1");
        assertThat(SessionFixtures.ids(api.ok("/api/sessions?page=" + enc("나이키")))).containsExactly("s3", "s1");
        assertThat(SessionFixtures.ids(api.ok("/api/sessions?page=" + enc("삼성전자")))).containsExactly("s3", "s2");
        assertThat(SessionFixtures.ids(api.ok("/api/sessions?page=" + enc("ㄴㅌㅂ")))).containsExactly("s4");
        assertThat(SessionFixtures.ids(api.ok("/api/sessions?page=" + enc("없는페이지")))).isEmpty();
        assertThat(SessionFixtures.ids(api.ok("/api/visitors/v-s1/sessions?page=" + enc("세탁")))).containsExactly("s1");
    }

    @Test
    void badQueriesAre400WithoutAskingElasticsearch() {
        assertError("/api/pages/search", "q", "required");
        assertError("/api/pages/search?q=", "q", "required");
        assertError("/api/pages/search?q=%20%20", "q", "required");
        assertError("/api/pages/search?q=" + enc("!!! ..."), "q", "letter or digit");
        assertError("/api/pages/search?q=a%01b", "q", "control characters");
        assertError("/api/pages/search?q=" + "가".repeat(101), "q", "longer than 100");
        assertError("/api/pages/search?q=nike&mode=fuzzy", "mode", "mode");
        assertError("/api/pages/search?q=nike&limit=0", "limit", "between 1 and 50");
        assertError("/api/pages/search?q=nike&limit=51", "limit", "between 1 and 50");
        assertError("/api/pages/search?q=nike&size=5", "size", "unknown parameter");
        assertError("/api/pages/top?limit=101", "limit", "between 1 and 100");
        assertError("/api/pages/top?from=yesterday", "from", "from");
        assertError("/api/pages/top?from=2026-11-22&to=2026-11-21", "to", "after");
        assertError("/api/sessions?page=" + "a".repeat(101), "page", "longer than 100");
        assertError("/api/sessions?page=" + enc("???"), "page", "letter or digit");
        assertThat(titles(search("가".repeat(100), "auto"))).as("100 characters are accepted").isEmpty();
    }

    private static void assertError(String path, String field, String message) {
        TestApi.Reply reply = api.get(path);
        assertThat(reply.status()).as(path).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).as(path).isEqualTo(field);
        assertThat(reply.json().get("message").asText()).as(path).contains(message);
    }

    private static JsonNode search(String q, String mode) {
        return api.ok("/api/pages/search?q=" + enc(q.strip()) + "&mode=" + mode + "&limit=50");
    }

    private static List<String> titles(JsonNode answer) {
        List<String> titles = new ArrayList<>();
        answer.get("pages").forEach(p -> titles.add(p.get("pageTitle").asText()));
        return titles;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SessionDocument viewing(String id, String start, String... urls) {
        SessionDocument s = session(id, "v-" + id, null, start, 1000, urls.length, urls[0], null, "Chrome", "Linux", "Desktop");
        s.pages = new ArrayList<>(List.of(urls));
        return s;
    }
}
