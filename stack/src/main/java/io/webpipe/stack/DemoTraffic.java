package io.webpipe.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Demo traffic for the local stack: a few hundred concurrent visitors browsing a small shop with
 * Korean and English page titles, clicking, arriving from campaigns and search, some leaving
 * after one page. Events go through the front door, {@code POST /collect}, in small batches.
 */
public final class DemoTraffic {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** In the stack, a rolling demo.log like every part's (StackParts.startDemo). */
    private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);

    static final List<String[]> PAGES = List.of(
            new String[] {"home", "/", "웹파이프 쇼핑 - 홈"},
            new String[] {"p-nike-air", "/products/nike-air", "나이키 운동화 Nike Air"},
            new String[] {"p-galaxy", "/products/galaxy-s25", "삼성전자 갤럭시 S25"},
            new String[] {"p-kettle", "/products/kettle", "전기 주전자 Electric Kettle"},
            new String[] {"p-running", "/products/running-shoes", "러닝화 베스트 Running Shoes"},
            new String[] {"c-shoes", "/categories/shoes", "신발 Shoes"},
            new String[] {"c-phones", "/categories/phones", "휴대폰 Phones"},
            new String[] {"search", "/search", "검색 결과 Search"},
            new String[] {"cart", "/cart", "장바구니 Cart"},
            new String[] {"checkout", "/checkout", "주문하기 Checkout"},
            new String[] {"blog-fit", "/blog/how-to-choose-running-shoes", "How to choose running shoes"},
            new String[] {"about", "/about", "회사 소개 About us"});
    private static final String[][] CAMPAIGNS = {
        {"newsletter", "email", "black-friday"}, {"google", "cpc", "shoes-kr"}, {"naver", "cpc", "galaxy-launch"},
        {"instagram", "social", "winter-sale"}, {null, null, null}, {null, null, null}, {null, null, null}};
    private static final String[] REFERRERS = {
        "https://www.google.com/", "https://search.naver.com/", "https://www.instagram.com/", null, null};
    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"};

    private final Random random;
    private final List<Visit> visits = new ArrayList<>();
    private final int concurrentVisitors;

    DemoTraffic(int concurrentVisitors, long seed) {
        this.concurrentVisitors = concurrentVisitors;
        this.random = new Random(seed);
    }

    public static void main(String[] args) {
        MaskedConsole.install();
        System.exit(new CommandLine(new Options()).execute(args));
    }

    /** The command line; the stack passes every option from its settings ({@code demo.*}). */
    @Command(name = "io.webpipe.stack.DemoTraffic", synopsisHeading = "usage: java -cp <classpath> ",
            description = "Sends demo shop traffic to the collector until stopped.")
    static final class Options implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;
        @Option(names = "--collector", required = true, paramLabel = "URL", description = "The collector, http://HOST:PORT/collect.")
        URI collector;
        @Option(names = "--visitors", required = true, paramLabel = "N", description = "Visitors browsing at once.")
        int visitors;
        @Option(names = "--events-per-second", required = true, paramLabel = "N", description = "Events sent each second.")
        int eventsPerSecond;

        @Override
        public Integer call() throws InterruptedException {
            new DemoTraffic(visitors, System.nanoTime()).run(collector, eventsPerSecond);
            return 0;
        }
    }

    void run(URI collector, int perSecond) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        LOG.info("demo traffic: {} concurrent visitors, {} events/s -> {}", concurrentVisitors, perSecond, collector);
        long sent = 0;
        long tick = 0;
        while (true) {
            ArrayNode batch = nextEvents(perSecond);
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(collector)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    sent += batch.size();
                } else {
                    LOG.warn("collector answered {}: {}", r.statusCode(), r.body());
                }
            } catch (java.io.IOException e) {
                LOG.warn("collector unreachable ({}), retrying", e.getMessage());
            }
            if (++tick % 30 == 0) {
                LOG.info("sent {} events, {} visits open", sent, visits.size());
            }
            Thread.sleep(1000);
        }
    }

    /** The next {@code count} events, now-stamped, across the open visits. */
    ArrayNode nextEvents(int count) {
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            while (visits.size() < concurrentVisitors) {
                visits.add(newVisit());
            }
            Visit visit = visits.get(random.nextInt(visits.size()));
            batch.add(visit.next());
            if (visit.done()) {
                visits.remove(visit);
            }
        }
        return batch;
    }

    private Visit newVisit() {
        // About a third of visits bounce (one page view, nothing else).
        int pageViews = random.nextDouble() < 0.33 ? 1 : 2 + random.nextInt(8);
        return new Visit("v-" + UUID.randomUUID(), random.nextDouble() < 0.3 ? "u-" + random.nextInt(500) : null,
                pageViews, CAMPAIGNS[random.nextInt(CAMPAIGNS.length)], REFERRERS[random.nextInt(REFERRERS.length)],
                USER_AGENTS[random.nextInt(USER_AGENTS.length)],
                "203.0." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
    }

    private final class Visit {
        final String visitorId;
        final String userId;
        final String[] campaign;
        final String referrer;
        final String userAgent;
        final String ip;
        int pageViewsLeft;
        boolean bounce;
        String[] page;
        boolean first = true;

        Visit(String visitorId, String userId, int pageViews, String[] campaign, String referrer, String userAgent, String ip) {
            this.visitorId = visitorId;
            this.userId = userId;
            this.pageViewsLeft = pageViews;
            this.bounce = pageViews == 1;
            this.campaign = campaign;
            this.referrer = referrer;
            this.userAgent = userAgent;
            this.ip = ip;
        }

        boolean done() {
            return pageViewsLeft == 0;
        }

        ObjectNode next() {
            ObjectNode e = JSON.createObjectNode();
            e.put("eventId", UUID.randomUUID().toString());
            e.put("timestamp", Instant.now().toString());
            e.put("visitorId", visitorId);
            if (userId != null) e.put("userId", userId);
            e.put("userAgent", userAgent);
            e.put("ip", ip);
            boolean click = !first && !bounce && random.nextDouble() < 0.35;
            if (click) {
                e.put("type", random.nextDouble() < 0.8 ? "click" : "add_to_cart");
                e.put("url", "https://shop.webpipe.dev" + page[1]);
                e.put("pageId", page[0]);
                e.put("pageTitle", page[2]);
                e.putObject("properties").put("element", "buy-button");
                return e;
            }
            page = PAGES.get(random.nextInt(PAGES.size()));
            String url = "https://shop.webpipe.dev" + page[1];
            if (first && campaign[0] != null) {
                url += "?utm_source=" + campaign[0] + "&utm_medium=" + campaign[1] + "&utm_campaign=" + campaign[2];
            }
            e.put("type", "page_view");
            e.put("url", url);
            e.put("pageId", page[0]);
            e.put("pageTitle", page[2]);
            if (first && referrer != null) e.put("referrer", referrer);
            first = false;
            pageViewsLeft--;
            return e;
        }
    }
}
