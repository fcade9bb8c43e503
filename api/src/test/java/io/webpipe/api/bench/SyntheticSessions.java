package io.webpipe.api.bench;

import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.SessionDocument.EventTypeCount;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Session documents as the job writes them, made up: session {@code i} is the same document for the same
 * {@code now} (its random numbers are seeded by {@code i}), so the bench can ask for any loaded session by
 * its id without keeping a million ids. Visitors come back (a few of them often), sessions start over the
 * {@link #SPAN} before {@code now} with a daily rhythm, channels, browsers and client networks vary, some
 * sessions are still live and a few are bots. Flags follow the job's rules (bounce: one page view;
 * engaged: over 10 s or 2+ page views).
 */
final class SyntheticSessions {
    static final Duration SPAN = Duration.ofDays(35);
    /** Sessions that started this recently are still open: the job has written them early ({@code live}). */
    static final Duration LIVE_WINDOW = Duration.ofMinutes(30);
    private static final String SITE = "https://shop.example";
    private static final double BOT_SHARE = 0.03;
    private static final double SIGNED_IN_SHARE = 0.12;

    private static final Weighted<Agent> AGENTS = new Weighted<Agent>()
            .add(30, new Agent("Chrome", "Windows", "desktop"))
            .add(20, new Agent("Mobile Safari", "iOS", "mobile"))
            .add(18, new Agent("Chrome Mobile", "Android", "mobile"))
            .add(10, new Agent("Safari", "Mac OS X", "desktop"))
            .add(8, new Agent("Samsung Internet", "Android", "mobile"))
            .add(5, new Agent("Firefox", "Windows", "desktop"))
            .add(5, new Agent("Edge", "Windows", "desktop"))
            .add(4, new Agent("Mobile Safari", "iOS", "tablet"));
    private static final Weighted<Agent> BOTS = new Weighted<Agent>()
            .add(6, new Agent("Googlebot", "Other", "bot"))
            .add(3, new Agent("Yeti", "Other", "bot"))
            .add(1, new Agent("HeadlessChrome", "Linux", "desktop"));
    private static final Weighted<Source> SOURCES = new Weighted<Source>()
            .add(26, new Source("Direct", null, null, null))
            .add(22, new Source("Organic Search", "https://www.google.com/", null, null))
            .add(10, new Source("Organic Search", "https://search.naver.com/search.naver?query=shoes", null, null))
            .add(8, new Source("Paid Search", "https://www.google.com/", "google", "cpc"))
            .add(6, new Source("Organic Social", "https://www.instagram.com/", null, null))
            .add(3, new Source("Organic Social", "https://t.co/x1", null, null))
            .add(4, new Source("Paid Social", "https://m.facebook.com/", "facebook", "paid_social"))
            .add(7, new Source("Email", null, "newsletter", "email"))
            .add(9, new Source("Referral", "https://blog.example/best-running-shoes", null, null))
            .add(5, new Source("Referral", "https://news.example/deals", null, null));
    private static final List<String> CAMPAIGNS = List.of("black-friday", "winter-sale", "new-arrivals", "brand");

    private final int visitors;
    private final Instant now;

    SyntheticSessions(int visitors, Instant now) {
        this.visitors = visitors;
        this.now = now;
    }

    /** The id of session {@code i} (a name-based UUID, as the job's ids are); ids of {@code i} beyond the loaded count exist nowhere. */
    static String id(long i) {
        return UUID.nameUUIDFromBytes(("bench-session-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    SessionDocument session(long i) {
        SplittableRandom random = new SplittableRandom(i * 0x9E3779B97F4A7C15L + 7);
        SessionDocument s = new SessionDocument();
        s.sessionId = id(i);
        // Squaring skews the draw: low numbers are regulars who come back often, most visitors come a few times.
        int visitor = (int) (visitors * Math.pow(random.nextDouble(), 2));
        s.visitorId = "v-" + visitor;
        s.userId = visitor % 100 < SIGNED_IN_SHARE * 100 ? "u-" + visitor : null;
        boolean bot = random.nextDouble() < BOT_SHARE;
        Agent agent = (bot ? BOTS : AGENTS).pick(random);
        s.browser = agent.browser;
        s.os = agent.os;
        s.deviceType = agent.deviceType;
        s.bot = bot;
        s.ip = (visitor % 223 + 1) + "." + (visitor / 223 % 256) + "." + random.nextInt(256) + ".0";

        Instant start = start(random);
        s.pageViews = bot ? 1 + random.nextInt(30) : pageViews(random);
        List<String> pages = new ArrayList<>();
        for (int p = 0; p < s.pageViews; p++) {
            pages.add(p == 0 ? landing(random) : page(random));
        }
        Source source = bot ? SOURCES.first() : SOURCES.pick(random);
        s.channel = source.channel;
        s.referrer = source.referrer;
        s.referrerHost = source.referrer == null ? null : URI.create(source.referrer).getHost();
        if (source.utmSource != null) {
            s.utmSource = source.utmSource;
            s.utmMedium = source.utmMedium;
            s.utmCampaign = CAMPAIGNS.get(random.nextInt(CAMPAIGNS.size()));
            pages.set(0, pages.get(0) + (pages.get(0).contains("?") ? "&" : "?") + "utm_source=" + s.utmSource
                    + "&utm_medium=" + s.utmMedium + "&utm_campaign=" + s.utmCampaign);
        }
        s.pages = pages.subList(0, Math.min(pages.size(), SessionDocument.MAX_PAGES));
        s.entryUrl = pages.get(0);
        s.exitUrl = pages.get(pages.size() - 1);
        s.entryTitle = title(s.entryUrl);
        s.exitTitle = title(s.exitUrl);
        s.landingPage = path(s.entryUrl);
        s.exitPage = path(s.exitUrl);

        int clicks = bot ? 0 : random.nextInt(s.pageViews + 1);
        s.eventCount = s.pageViews + clicks;
        s.eventTypes.add(new EventTypeCount("page_view", s.pageViews));
        if (clicks > 0) {
            s.eventTypes.add(new EventTypeCount("click", clicks));
        }
        long durationMs = s.pageViews == 1 ? (random.nextDouble() < 0.7 ? 0 : random.nextLong(60_000))
                : (long) (s.pageViews * 20_000 * (0.2 + random.nextDouble() * 1.6));
        Instant end = start.plusMillis(durationMs);
        if (end.isAfter(now)) {
            end = now;
        }
        s.start = start.toString();
        s.end = end.toString();
        s.durationMs = Duration.between(start, end).toMillis();
        s.bounce = s.pageViews <= 1;
        s.engaged = s.durationMs > 10_000 || s.pageViews >= 2;
        s.live = start.isAfter(now.minus(LIVE_WINDOW));
        s.updatedAt = end.toString();
        return s;
    }

    /** A time in the span before now, twice as likely in the evening (KST) as in the small hours. */
    private Instant start(SplittableRandom random) {
        long span = SPAN.toMillis();
        while (true) {
            long offset = random.nextLong(span);
            Instant t = now.minusMillis(span).plusMillis(offset);
            double hourKst = (t.toEpochMilli() / 3_600_000.0 + 9) % 24;
            double busy = 0.5 + 0.5 * Math.sin((hourKst - 9) / 24 * 2 * Math.PI); // peak around 15:00, low at 03:00
            if (random.nextDouble() < 0.33 + 0.67 * busy) {
                return t;
            }
        }
    }

    /** Four in ten sessions see one page; the rest a few, rarely many. */
    private static int pageViews(SplittableRandom random) {
        if (random.nextDouble() < 0.4) {
            return 1;
        }
        int views = 2;
        while (views < 60 && random.nextDouble() < 0.7) {
            views++;
        }
        return views;
    }

    private static String landing(SplittableRandom random) {
        double r = random.nextDouble();
        return r < 0.3 ? SITE + "/" : r < 0.5 ? SITE + "/categories/c-" + random.nextInt(40) : page(random);
    }

    private static String page(SplittableRandom random) {
        double r = random.nextDouble();
        if (r < 0.6) {
            // Product popularity falls off: a few products get most views.
            return SITE + "/products/p-" + (int) (2000 * Math.pow(random.nextDouble(), 3));
        }
        return r < 0.75 ? SITE + "/categories/c-" + random.nextInt(40)
                : r < 0.85 ? SITE + "/search?q=" + List.of("shoes", "nike", "%EC%9A%B4%EB%8F%99%ED%99%94", "jacket").get(random.nextInt(4))
                : r < 0.95 ? SITE + "/cart"
                : SITE + "/blog/post-" + random.nextInt(200);
    }

    private static String title(String url) {
        String path = path(url);
        return path.equals("/") ? "Shop Example" : "Shop Example " + path.substring(1).replace('/', ' ');
    }

    private static String path(String url) {
        return URI.create(url).getPath();
    }

    private record Agent(String browser, String os, String deviceType) {}

    private record Source(String channel, String referrer, String utmSource, String utmMedium) {}

    /** A draw among values by weight. */
    private static final class Weighted<T> {
        private final List<T> values = new ArrayList<>();
        private final List<Integer> upTo = new ArrayList<>();
        private int total;

        Weighted<T> add(int weight, T value) {
            total += weight;
            values.add(value);
            upTo.add(total);
            return this;
        }

        T pick(SplittableRandom random) {
            int r = random.nextInt(total);
            int i = 0;
            while (upTo.get(i) <= r) {
                i++;
            }
            return values.get(i);
        }

        T first() {
            return values.get(0);
        }
    }
}
