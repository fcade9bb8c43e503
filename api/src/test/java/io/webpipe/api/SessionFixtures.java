package io.webpipe.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.api.http.Json;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.schema.Indices;
import io.webpipe.schema.PageDocument;
import io.webpipe.schema.SessionDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/** Creates a sessions or pages index from its template under a test's own alias and loads fixture documents. */
final class SessionFixtures {
    /** The job's writer: a plain mapper (the API's own leaves out what is for Elasticsearch only, such as visitorHash). */
    private static final ObjectMapper JOB_JSON = new ObjectMapper();
    private SessionFixtures() {}

    /** Creates {@code alias_v1} with the settings and mappings of the web-sessions template, behind {@code alias}. */
    static void createIndex(ElasticsearchNode es, String alias) {
        createIndex(es, alias, Indices.SESSIONS);
    }

    /** Creates {@code alias_v1} with the settings and mappings of the template of {@code templateAlias}, behind {@code alias}. */
    static void createIndex(ElasticsearchNode es, String alias, String templateAlias) {
        ObjectNode body = (ObjectNode) read(Indices.template(templateAlias));
        body.remove("index_patterns");
        body.putObject("aliases").putObject(alias);
        request(es, "PUT", "/" + Indices.firstVersion(alias), Json.write(body));
    }

    /** Creates {@code alias_v1} with only the given mappings (no template), behind {@code alias}. */
    static void createIndexWithMappings(ElasticsearchNode es, String alias, String mappingsJson) {
        request(es, "PUT", "/" + Indices.firstVersion(alias),
                "{\"mappings\":" + mappingsJson + ",\"aliases\":{" + Json.write(alias) + ":{}}}");
    }

    /** Bulk-indexes the sessions (id = sessionId) and makes them searchable. */
    static void load(ElasticsearchNode es, String alias, Collection<SessionDocument> sessions) {
        Map<String, Object> byId = new LinkedHashMap<>();
        sessions.forEach(s -> byId.put(s.sessionId, s));
        bulk(es, alias, byId);
    }

    /** Bulk-indexes the pages (id = pageId) and makes them searchable. */
    static void loadPages(ElasticsearchNode es, String alias, Collection<PageDocument> pages) {
        Map<String, Object> byId = new LinkedHashMap<>();
        pages.forEach(p -> byId.put(p.pageId, p));
        bulk(es, alias, byId);
    }

    private static String asTheJobWrites(Object doc) {
        try {
            return JOB_JSON.writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void bulk(ElasticsearchNode es, String alias, Map<String, Object> byId) {
        StringBuilder bulk = new StringBuilder();
        byId.forEach((id, doc) -> bulk.append("{\"index\":{\"_id\":").append(Json.write(id)).append("}}\n").append(asTheJobWrites(doc)).append('\n'));
        Request request = new Request("POST", "/" + alias + "/_bulk");
        request.addParameter("refresh", "true");
        request.setEntity(new NStringEntity(bulk.toString(), ContentType.create("application/x-ndjson", "UTF-8")));
        String response = perform(es, request);
        if (response.contains("\"errors\":true")) {
            throw new IllegalStateException("bulk load failed: " + response.substring(0, Math.min(2000, response.length())));
        }
    }

    /** A session; bounce and eventCount follow from the page views. */
    static SessionDocument session(String id, String visitor, String user, String start, long durationMs, int pageViews,
            String entryUrl, String utmSource, String browser, String os, String deviceType) {
        SessionDocument s = new SessionDocument();
        s.sessionId = id;
        s.visitorId = visitor;
        s.userId = user;
        Instant begin = Instant.parse(start);
        s.start = begin.toString();
        s.end = begin.plusMillis(durationMs).toString();
        s.durationMs = durationMs;
        s.eventCount = pageViews;
        s.pageViews = pageViews;
        s.entryUrl = entryUrl;
        s.exitUrl = entryUrl;
        s.entryTitle = "Title of " + entryUrl;
        s.exitTitle = s.entryTitle;
        for (int i = 0; i < pageViews; i++) {
            s.pages.add(entryUrl);
        }
        s.eventTypes.add(new SessionDocument.EventTypeCount("page_view", pageViews));
        s.bounce = pageViews <= 1;
        s.utmSource = utmSource;
        s.browser = browser;
        s.os = os;
        s.deviceType = deviceType;
        s.ip = "10.1.2.0";
        s.updatedAt = begin.plusMillis(durationMs).toString();
        return s;
    }

    /** A page of the catalogue at {@code /p/<id>}, seen by half as many visitors as views. */
    static PageDocument page(String id, String title, long views, String firstSeen, String lastSeen) {
        PageDocument p = new PageDocument();
        p.pageId = id;
        p.url = "/p/" + id;
        p.pageTitle = title;
        p.views = views;
        p.visitors = views / 2;
        p.firstSeen = firstSeen;
        p.lastSeen = lastSeen;
        p.updatedAt = lastSeen;
        return p;
    }

    /** "Now" of the analyst data set: the clock its API tests and the dashboard test run the API with. */
    static final Instant ANALYST_NOW = Instant.parse("2026-11-21T12:00:00Z");

    /**
     * The analyst data set: sessions with the quality fields as the job fills them (channel, engaged, bot, live,
     * landing/exit paths, referrer host). Around {@link #ANALYST_NOW}: v1 (a07) and v5 (a06, live) are current
     * visitors, and so is one live bot (a08); a05 is a bot too. a09 and a10 lie in the range before 2026-11-20.
     */
    static List<SessionDocument> analystSessions() {
        return List.of(
                quality(session("a01", "v1", null, "2026-11-20T10:00:00Z", 60_000, 3, "https://shop.example/products/nike-air?ref=g",
                        null, "Chrome", "Windows", "desktop"), "Organic Search", "https://www.google.com/", false, false),
                quality(session("a02", "v2", null, "2026-11-20T11:00:00Z", 0, 1, "https://shop.example/",
                        null, "Safari", "iOS", "mobile"), "Direct", null, false, false),
                utm(quality(session("a03", "v3", "u3", "2026-11-20T12:30:00Z", 120_000, 4, "https://shop.example/products/nike-shoes",
                        "newsletter", "Chrome", "Android", "mobile"), "Email", null, false, false), "email", "black-friday"),
                quality(session("a04", "v4", null, "2026-11-21T09:00:00Z", 5_000, 1, "https://shop.example/",
                        null, "Samsung Internet", "Android", "mobile"), "Organic Search", "https://search.naver.com/", false, false),
                quality(session("a05", "bot1", null, "2026-11-21T09:10:00Z", 0, 10, "https://shop.example/",
                        null, "Googlebot", "Other", "spider"), "Direct", null, true, false),
                quality(session("a06", "v5", null, "2026-11-21T11:58:00Z", 90_000, 2, "https://shop.example/products/nike-shoes",
                        null, "Chrome", "Windows", "desktop"), "Organic Social", "https://m.facebook.com/", false, true),
                quality(session("a07", "v1", null, "2026-11-21T11:50:00Z", 360_000, 2, "https://shop.example/cart",
                        null, "Chrome", "Windows", "desktop"), "Referral", "https://blog.example.org/post", false, false),
                quality(session("a08", "bot2", null, "2026-11-21T11:57:00Z", 120_000, 3, "https://shop.example/",
                        null, "HeadlessChrome", "Linux", "desktop"), "Direct", null, true, true),
                quality(session("a09", "v6", null, "2026-11-18T10:00:00Z", 0, 1, "https://shop.example/",
                        null, "Firefox", "Linux", "desktop"), "Direct", null, false, false),
                quality(session("a10", "v7", null, "2026-11-19T08:00:00Z", 30_000, 2, "https://shop.example/products/nike-air",
                        null, "Chrome", "Mac OS X", "desktop"), "Paid Search", "https://www.google.com/", false, false));
    }

    /**
     * The pages of the analyst data set. Within the 30 minutes before {@link #ANALYST_NOW} they hold 21 page views
     * (11:40 3, 11:45 5, 11:50 6, 11:57 4, 11:58 1, 11:59 2; 11:30 lies outside); in the last 5 minutes 나이키 운동화 6
     * and Nike Air Max 1. "오래된 페이지" was last seen a day earlier. 홈 has the most bot views.
     */
    static List<PageDocument> analystPages() {
        PageDocument shoes = recent(page("nike-shoes", "나이키 운동화", 500, "2026-11-01T00:00:00Z", "2026-11-21T11:59:40Z"), 20,
                "11:30", 7, "11:40", 3, "11:57", 4, "11:59", 2);
        PageDocument air = recent(page("nike-air", "Nike Air Max", 800, "2026-11-01T00:00:00Z", "2026-11-21T11:58:10Z"), 0,
                "11:45", 5, "11:58", 1);
        PageDocument home = recent(page("home", "홈", 300, "2026-11-01T00:00:00Z", "2026-11-21T11:50:30Z"), 600, "11:50", 6);
        PageDocument old = page("old", "오래된 페이지", 40, "2026-11-01T00:00:00Z", "2026-11-20T10:00:30Z");
        old.recentViews.add(new PageDocument.MinuteViews("2026-11-20T10:00:00Z", 9));
        return List.of(shoes, air, home, old);
    }

    /** Sets the quality fields the job derives: landing and exit paths, referrer and its host, channel, engaged, bot, live. */
    private static SessionDocument quality(SessionDocument s, String channel, String referrer, boolean bot, boolean live) {
        s.channel = channel;
        s.referrer = referrer;
        s.referrerHost = referrer == null ? null : URI.create(referrer).getHost();
        s.landingPage = URI.create(s.entryUrl).getPath();
        s.exitPage = URI.create(s.exitUrl).getPath();
        s.engaged = s.durationMs > 10_000 || s.pageViews >= 2;
        s.bot = bot;
        s.live = live;
        return s;
    }

    private static SessionDocument utm(SessionDocument s, String medium, String campaign) {
        s.utmMedium = medium;
        s.utmCampaign = campaign;
        return s;
    }

    /** The page with bot views and page views by minute of 2026-11-21 ("HH:mm", views, ...). */
    private static PageDocument recent(PageDocument p, long botViews, Object... minuteViews) {
        p.url = "https://shop.example" + p.url;
        p.botViews = botViews;
        for (int i = 0; i < minuteViews.length; i += 2) {
            p.recentViews.add(new PageDocument.MinuteViews("2026-11-21T" + minuteViews[i] + ":00Z", ((Number) minuteViews[i + 1]).longValue()));
        }
        return p;
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("sessions").forEach(s -> ids.add(s.get("sessionId").asText()));
        return ids;
    }

    private static void request(ElasticsearchNode es, String method, String path, String json) {
        Request request = new Request(method, path);
        request.setJsonEntity(json);
        perform(es, request);
    }

    private static String perform(ElasticsearchNode es, Request request) {
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            Response response = client.performRequest(request);
            return new String(response.getEntity().getContent().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
