package io.webpipe.job.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.job.session.SessionIds;
import io.webpipe.job.session.UserAgentSamples;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.PageDocument;
import io.webpipe.schema.SessionDocument;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Deterministic web traffic with known sessions, and the session documents the job must produce
 * for it, computed here from the generator's own model (not with the job's code).
 *
 * <p>The records come in send order: by event time, except that some events are delayed (a few
 * seconds, within the watermark's out-of-orderness, or up to three minutes, beyond it but before
 * their session can close) and some are delivered twice. Gaps between events of a session go up to
 * exactly the session gap (the boundary: still one session); sessions of a visitor are at least
 * {@code gap + 1 ms} apart. Malformed records are mixed in for the dead-letter topic.
 */
public final class TrafficGenerator {
    public static final Duration GAP = Duration.ofMinutes(30);
    public static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");

    private static final String[] TITLES = {"나이키 운동화", "Nike Air Max", "삼성전자 갤럭시", "Galaxy S24 Ultra", "홈", "Home",
            "장바구니", "Cart", "주문 완료", "겨울 코트 세일"};
    /** A campaign of the landing url and the channel it gives, whatever the referrer (README, channel table). */
    private record Campaign(String source, String medium, String name, String channel) {}

    private static final Campaign[] UTM = {new Campaign("naver", "cpc", "winter_sale", "Paid Search"),
            new Campaign("google", "organic", "brand", "Organic Search"), new Campaign("newsletter", "email", "black_friday", "Email"),
            new Campaign("kakao", "cpc", "kakao_moment", "Paid Social"), new Campaign("partner", "banner", "fall", "Display")};

    /** A referrer, its host, and the channel it gives without a campaign; null url: none. */
    private record Referrer(String url, String host, String channel) {}

    private static final String SITE = "shop.example";
    private static final Referrer[] REFERRERS = {
            new Referrer("https://search.naver.com/search.naver?query=nike", "search.naver.com", "Organic Search"),
            new Referrer("https://www.google.com/", "www.google.com", "Organic Search"), new Referrer(null, null, "Direct"),
            new Referrer("https://search.daum.net/search?q=%EB%82%98%EC%9D%B4%ED%82%A4", "search.daum.net", "Organic Search"),
            new Referrer("https://M.Blog.Naver.com/runner/223", "m.blog.naver.com", "Organic Social"),
            new Referrer("https://band.us/band/7", "band.us", "Organic Social"), new Referrer("https://t.co/x1", "t.co", "Organic Social"),
            new Referrer("https://news.example/a?id=1", "news.example", "Referral"),
            // The site itself (a session that timed out): no source, when the session has a url of the site to tell.
            new Referrer("https://" + SITE + "/p/3", SITE, "Direct")};
    /** The event types that make a session engaged by default ({@code session.conversion-types}). */
    private static final Set<String> CONVERSIONS = Set.of("purchase", "sign_up", "generate_lead");
    private static final String[] MALFORMED = {"{not json", "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"x\"}",
            "{\"eventId\":\"bad-ts\",\"type\":\"click\",\"timestamp\":\"yesterday\",\"visitorId\":\"x\"}",
            "{\"eventId\":\"no-url\",\"type\":\"page_view\",\"timestamp\":1,\"visitorId\":\"x\"}", "[]", ""};

    /** One Kafka record to send. */
    public static final class Record {
        public final String key;
        public final byte[] value;
        final long sendAt;

        Record(String key, byte[] value, long sendAt) {
            this.key = key;
            this.value = value;
            this.sendAt = sendAt;
        }
    }

    /** The records in send order and what must come out. */
    public static final class Traffic {
        public final List<Record> records = new ArrayList<>();
        /** sessionId -> expected document ({@code updatedAt} left null). */
        public final Map<String, SessionDocument> expected = new LinkedHashMap<>();
        /** page id (the url: the generator sends no pageId) -> expected page document ({@code updatedAt} left null). */
        public final Map<String, PageDocument> expectedPages = new TreeMap<>();
        private final Map<String, Set<String>> pageVisitors = new HashMap<>();
        private final Map<String, String> pageLatestEventId = new HashMap<>();
        private final ExpectedRecentViews pageRecentViews = new ExpectedRecentViews();
        public int events;
        public int duplicates;
        public int malformed;
        public int visitors;
    }

    private final Random random;
    private final ObjectMapper json = new ObjectMapper();
    private final boolean withDisorder;

    /** @param withDisorder delays, duplicates and malformed records (false for a plain benchmark stream) */
    public TrafficGenerator(long seed, boolean withDisorder) {
        this.random = new Random(seed);
        this.withDisorder = withDisorder;
    }

    /** Traffic of {@code visitors} visitors over about six hours of event time. */
    public Traffic generate(int visitors) {
        Traffic traffic = new Traffic();
        traffic.visitors = visitors;
        for (int v = 0; v < visitors; v++) {
            visitor(String.format("visitor-%06d", v), traffic);
        }
        traffic.records.sort(Comparator.comparingLong(r -> r.sendAt));
        traffic.pageRecentViews.fill(traffic.expectedPages);
        return traffic;
    }

    private void visitor(String visitorId, Traffic traffic) {
        UserAgentSamples.Sample agent = UserAgentSamples.ALL.get(random.nextInt(UserAgentSamples.ALL.size()));
        boolean ipv6 = random.nextInt(5) == 0;
        int a = random.nextInt(256), b = random.nextInt(256), c = 1 + random.nextInt(254);
        String ip = ipv6 ? String.format("2001:db8:%x:%x:1::%x", a, b, c) : "10." + a + "." + b + "." + c;
        String anonymised = ipv6 ? String.format("2001:db8:%x:0:0:0:0:0", a) : "10." + a + "." + b + ".0";
        String userId = random.nextInt(3) == 0 ? "user-" + visitorId.substring(8) : null;

        long t = BASE.toEpochMilli() + (long) random.nextInt(6 * 3600) * 1000 + random.nextInt(1000);
        int sessions = 1 + random.nextInt(4);
        int eventNo = 0;
        for (int s = 0; s < sessions; s++) {
            if (s > 0) {
                t += GAP.toMillis() + (random.nextInt(6) == 0 ? 1 : 60_000L + random.nextInt(3 * 3600) * 1000L);
            }
            int n = random.nextInt(8) == 0 ? 1 : 2 + random.nextInt(29);
            int loginAt = userId == null ? Integer.MAX_VALUE : random.nextInt(n);
            Campaign utm = random.nextInt(3) == 0 ? UTM[random.nextInt(UTM.length)] : null;
            Referrer referrer = REFERRERS[random.nextInt(REFERRERS.length)];
            boolean landingHasUrl = false;

            SessionDocument doc = new SessionDocument();
            doc.visitorId = visitorId;
            Map<String, Integer> typeCounts = new TreeMap<>();
            long previous = 0;
            for (int i = 0; i < n; i++) {
                long intraGap = 0;
                if (i > 0) {
                    int kind = random.nextInt(20);
                    intraGap = kind == 0 ? GAP.toMillis() : kind == 1 ? Duration.ofMinutes(20 + random.nextInt(10)).toMillis()
                            : 1000 + random.nextInt(300_000);
                    t += intraGap;
                }
                String eventId = visitorId + "-" + eventNo++;
                String type = i == 0 && random.nextInt(10) > 0 ? EventContract.PAGE_VIEW : randomType();
                ObjectNode e = json.createObjectNode();
                e.put(EventContract.EVENT_ID, eventId);
                e.put(EventContract.TYPE, type);
                if (random.nextBoolean()) {
                    e.put(EventContract.TIMESTAMP, t);
                } else {
                    e.put(EventContract.TIMESTAMP, OffsetDateTime.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.ofHours(9)).toString());
                }
                e.put(EventContract.VISITOR_ID, visitorId);
                String eventUserId = i >= loginAt ? userId : null;
                if (eventUserId != null) {
                    e.put(EventContract.USER_ID, eventUserId);
                }
                String url = null;
                String path = null;
                String title = null;
                if (type.equals(EventContract.PAGE_VIEW) || random.nextInt(4) == 0) {
                    path = "/p/" + random.nextInt(50);
                    url = "https://" + SITE + path;
                    if (i == 0 && utm != null) {
                        url += "?utm_source=" + utm.source() + "&utm_medium=" + utm.medium() + "&utm_campaign=" + utm.name()
                                + (random.nextBoolean() ? "#top" : "");
                    }
                    e.put(EventContract.URL, url);
                }
                if (type.equals(EventContract.PAGE_VIEW)) {
                    title = TITLES[random.nextInt(TITLES.length)];
                    e.put(EventContract.PAGE_TITLE, title);
                }
                if (i == 0 && referrer.url() != null) {
                    e.put(EventContract.REFERRER, referrer.url());
                }
                e.put(EventContract.USER_AGENT, agent.userAgent);
                e.put(EventContract.IP, ip);
                if (random.nextInt(10) == 0) {
                    e.putObject(EventContract.PROPERTIES).put("button", "buy").put("price", 129000);
                }
                byte[] value = bytes(e);

                long delay = 0;
                if (withDisorder && i > 0 && intraGap <= Duration.ofMinutes(20).toMillis()) {
                    int r = random.nextInt(100);
                    delay = r < 8 ? random.nextInt(8_000) : r < 10 ? 10_000 + random.nextInt(170_000) : 0;
                }
                traffic.records.add(new Record(visitorId, value, t + delay));
                traffic.events++;
                if (withDisorder && random.nextInt(50) == 0) {
                    traffic.records.add(new Record(visitorId, value, t + delay + random.nextInt(60_000)));
                    traffic.duplicates++;
                }
                if (withDisorder && random.nextInt(200) == 0) {
                    String bad = MALFORMED[random.nextInt(MALFORMED.length)];
                    traffic.records.add(new Record(visitorId, bad.getBytes(StandardCharsets.UTF_8), t));
                    traffic.malformed++;
                }

                // The expected document, from the model.
                if (i == 0) {
                    doc.sessionId = SessionIds.of(visitorId, t, eventId);
                    doc.start = Instant.ofEpochMilli(t).toString();
                    doc.referrer = referrer.url();
                    doc.referrerHost = referrer.host();
                    landingHasUrl = url != null;
                    if (utm != null && url != null) {
                        doc.utmSource = utm.source();
                        doc.utmMedium = utm.medium();
                        doc.utmCampaign = utm.name();
                    }
                    doc.browser = agent.browser;
                    doc.os = agent.os;
                    doc.deviceType = agent.deviceType;
                    doc.bot = agent.bot;
                    doc.ip = anonymised;
                    previous = t;
                }
                doc.end = Instant.ofEpochMilli(t).toString();
                doc.durationMs = t - previous + doc.durationMs;
                previous = t;
                doc.eventCount++;
                typeCounts.merge(type, 1, Integer::sum);
                if (doc.userId == null) {
                    doc.userId = eventUserId;
                }
                if (type.equals(EventContract.PAGE_VIEW)) {
                    expectPageView(traffic, url, title, visitorId, t, eventId, agent.bot);
                    doc.pageViews++;
                    if (doc.entryUrl == null) {
                        doc.entryUrl = url;
                        doc.entryTitle = title;
                        doc.landingPage = path;
                    }
                    doc.exitUrl = url;
                    doc.exitTitle = title;
                    doc.exitPage = path;
                    doc.pages.add(url);
                }
            }
            doc.bounce = doc.pageViews <= 1 && doc.eventCount == doc.pageViews;
            doc.engaged = doc.durationMs > 10_000 || doc.pageViews >= 2 || typeCounts.keySet().stream().anyMatch(CONVERSIONS::contains);
            boolean siteKnown = landingHasUrl || doc.pageViews > 0;
            doc.channel = doc.utmSource != null ? utm.channel() : SITE.equals(referrer.host()) && !siteKnown ? "Referral" : referrer.channel();
            // Most frequent first, ties by name (the generator sends fewer types than the document lists).
            typeCounts.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(count -> doc.eventTypes.add(new SessionDocument.EventTypeCount(count.getKey(), count.getValue())));
            traffic.expected.put(doc.sessionId, doc);
        }
    }

    /** The page catalogue's model: views and distinct visitors of people, bots' views apart, the title of the latest view (ties by eventId). */
    private static void expectPageView(Traffic traffic, String url, String title, String visitorId, long t, String eventId, boolean bot) {
        PageDocument page = traffic.expectedPages.computeIfAbsent(url, u -> {
            PageDocument p = new PageDocument();
            p.url = u;
            p.firstSeen = Instant.ofEpochMilli(t).toString();
            p.lastSeen = Instant.ofEpochMilli(Long.MIN_VALUE / 2).toString();
            return p;
        });
        if (bot) {
            page.botViews++;
        } else {
            page.views++;
            traffic.pageRecentViews.view(url, t);
            if (traffic.pageVisitors.computeIfAbsent(url, u -> new HashSet<>()).add(visitorId)) {
                page.visitors++;
            }
        }
        if (Instant.parse(page.firstSeen).toEpochMilli() > t) {
            page.firstSeen = Instant.ofEpochMilli(t).toString();
        }
        long last = Instant.parse(page.lastSeen).toEpochMilli();
        if (t > last || (t == last && eventId.compareTo(traffic.pageLatestEventId.get(url)) > 0)) {
            page.lastSeen = Instant.ofEpochMilli(t).toString();
            page.pageTitle = title;
            traffic.pageLatestEventId.put(url, eventId);
        }
    }

    private String randomType() {
        int r = random.nextInt(20);
        return r < 13 ? EventContract.PAGE_VIEW : r < 18 ? EventContract.CLICK : r < 19 ? "add_to_cart" : "purchase";
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
