package io.webpipe.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.schema.SessionDocument;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Well-behaved traffic whose session documents are known field by field, independently of the job:
 * events carry every field (ids, urls with UTM parameters, Korean titles, referrers, user agents
 * and addresses whose parsed and anonymised forms are written down here), and {@link #expected}
 * sessionizes them with the product rule ("the next event at most {@code gap} after the previous
 * one") and derives each document the way the README describes it. Only {@code sessionId} and
 * {@code updatedAt} are not predicted (the first must merely be unique).
 */
final class KnownTraffic {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A device: its user agent as sent, and what the session document shows of it. */
    private record Device(String userAgent, String browser, String os, String deviceType, boolean bot, String ip, String anonymizedIp) {}

    private static final List<Device> DEVICES = List.of(
            new Device("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    + "Version/17.1 Mobile/15E148 Safari/604.1", "Mobile Safari", "iOS", "mobile", false, "203.0.113.57", "203.0.113.0"),
            new Device("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
                    + "Safari/537.36", "Chrome", "Windows", "desktop", false, "2001:db8:85a3:1234:5678:8a2e:370:7334",
                    "2001:db8:85a3:0:0:0:0:0"),
            new Device("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "Other", "bot", true,
                    "198.51.100.7", "198.51.100.0"));
    private static final String[] TITLES = {"나이키 운동화 Nike Air", "장바구니 Cart", "삼성전자 갤럭시", "주문 완료 Order ✓"};

    private final String prefix;
    private final Duration gap;
    /** Every event as sent, in the order they were made. */
    private final List<ObjectNode> events = new ArrayList<>();

    KnownTraffic(String prefix, Duration gap) {
        this.prefix = prefix;
        this.gap = gap;
    }

    String visitorId(int visitor) {
        return String.format("%s-%03d", prefix, visitor);
    }

    boolean owns(String visitorId) {
        return visitorId.startsWith(prefix + "-");
    }

    /**
     * The {@code seq}-th event of a visitor at {@code timestamp}: every third one a click, every
     * fifth a custom event, the others page views; half the timestamps as ISO-8601 with an offset.
     */
    synchronized ObjectNode event(int visitor, int seq, long timestamp) {
        Device device = DEVICES.get(visitor % DEVICES.size());
        ObjectNode e = JSON.createObjectNode();
        e.put("eventId", visitorId(visitor) + "-e" + seq);
        e.put("type", seq % 5 == 4 ? "add_to_cart" : seq % 3 == 2 ? "click" : "page_view");
        if (seq % 2 == 0) {
            e.put("timestamp", timestamp);
        } else {
            e.put("timestamp", Instant.ofEpochMilli(timestamp).atOffset(ZoneOffset.ofHours(9)).toString());
        }
        e.put("visitorId", visitorId(visitor));
        if (visitor % 2 == 0) {
            e.put("userId", "u-" + visitor);
        }
        String page = "https://shop.example/p/" + (visitor * 7 + seq) % 11;
        e.put("url", seq % 4 == 0 ? page + "?utm_source=" + enc("news letter") + "&utm_medium=email&utm_campaign="
                + enc("겨울 세일 " + visitor % 3) : page);
        e.put("pageId", "p-" + (visitor * 7 + seq) % 11);
        e.put("pageTitle", TITLES[(visitor + seq) % TITLES.length]);
        if (seq % 4 == 0) {
            e.put("referrer", "https://www.google.com/search?q=" + enc("운동화 " + visitor));
        }
        e.put("userAgent", device.userAgent());
        e.put("ip", device.ip());
        events.add(e);
        return e;
    }

    synchronized List<ObjectNode> events() {
        return new ArrayList<>(events);
    }

    /** visitorId -> its expected session documents in start order. */
    synchronized Map<String, List<ObjectNode>> expected() {
        Map<String, List<ObjectNode>> byVisitor = new TreeMap<>();
        for (ObjectNode e : events) {
            byVisitor.computeIfAbsent(e.path("visitorId").asText(), k -> new ArrayList<>()).add(e);
        }
        Map<String, List<ObjectNode>> sessions = new TreeMap<>();
        byVisitor.forEach((visitor, list) -> {
            list.sort(Comparator.comparingLong(KnownTraffic::time).thenComparing(e -> e.path("eventId").asText()));
            List<ObjectNode> docs = new ArrayList<>();
            List<ObjectNode> current = new ArrayList<>();
            for (ObjectNode e : list) {
                if (!current.isEmpty() && time(e) - time(current.get(current.size() - 1)) > gap.toMillis()) {
                    docs.add(document(current));
                    current = new ArrayList<>();
                }
                current.add(e);
            }
            docs.add(document(current));
            sessions.put(visitor, docs);
        });
        return sessions;
    }

    int expectedSessionCount() {
        return expected().values().stream().mapToInt(List::size).sum();
    }

    /** A document as the README describes it, for events of one session in order. */
    private ObjectNode document(List<ObjectNode> session) {
        ObjectNode first = session.get(0);
        ObjectNode last = session.get(session.size() - 1);
        int visitor = Integer.parseInt(first.path("visitorId").asText().substring(prefix.length() + 1));
        Device device = DEVICES.get(visitor % DEVICES.size());
        ObjectNode doc = JSON.createObjectNode();
        doc.put("visitorId", first.path("visitorId").asText());
        doc.put(SessionDocument.VISITOR_HASH, SessionDocument.visitorHash(first.path("visitorId").asText()));
        if (first.has("userId")) {
            doc.put("userId", first.path("userId").asText());
        }
        doc.put("start", Instant.ofEpochMilli(time(first)).toString());
        doc.put("end", Instant.ofEpochMilli(time(last)).toString());
        doc.put("durationMs", time(last) - time(first));
        doc.put("eventCount", session.size());
        List<ObjectNode> pageViews = session.stream().filter(e -> e.path("type").asText().equals("page_view")).toList();
        doc.put("pageViews", pageViews.size());
        if (!pageViews.isEmpty()) {
            // Paths without the query: the page number is also in the pageId.
            doc.put("landingPage", "/p/" + pageViews.get(0).path("pageId").asText().substring(2));
            doc.put("exitPage", "/p/" + pageViews.get(pageViews.size() - 1).path("pageId").asText().substring(2));
            doc.put("entryUrl", pageViews.get(0).path("url").asText());
            doc.put("exitUrl", pageViews.get(pageViews.size() - 1).path("url").asText());
            doc.put("entryTitle", pageViews.get(0).path("pageTitle").asText());
            doc.put("exitTitle", pageViews.get(pageViews.size() - 1).path("pageTitle").asText());
        }
        ArrayNode pages = doc.putArray("pages");
        pageViews.stream().limit(100).forEach(e -> pages.add(e.path("url").asText()));
        Map<String, Integer> counts = new LinkedHashMap<>();
        session.forEach(e -> counts.merge(e.path("type").asText(), 1, Integer::sum));
        ArrayNode types = doc.putArray("eventTypes");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(t -> types.addObject().put("type", t.getKey()).put("count", t.getValue()));
        doc.put("bounce", pageViews.size() <= 1 && session.size() == pageViews.size());
        // GA4's rule; none of the event types sent is a conversion.
        doc.put("engaged", time(last) - time(first) > 10_000 || pageViews.size() >= 2);
        doc.put("live", false);
        doc.put("bot", device.bot());
        if (first.has("referrer")) {
            doc.put("referrer", first.path("referrer").asText());
            doc.put("referrerHost", "www.google.com");
        }
        // The referrer comes only with the newsletter campaign, which decides: utm_medium email.
        if (first.path("url").asText().contains("utm_source=")) {
            doc.put("utmSource", "news letter");
            doc.put("utmMedium", "email");
            doc.put("utmCampaign", "겨울 세일 " + visitor % 3);
            doc.put("channel", "Email");
        } else {
            doc.put("channel", "Direct");
        }
        doc.put("browser", device.browser());
        doc.put("os", device.os());
        doc.put("deviceType", device.deviceType());
        doc.put("ip", device.anonymizedIp());
        return normalized(doc);
    }

    /** As read back from JSON (numbers as the smallest node that holds them), so that documents compare equal. */
    private static ObjectNode normalized(JsonNode doc) {
        try {
            return (ObjectNode) JSON.readTree(JSON.writeValueAsString(doc));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The first visitor whose sessions differ, expected against actual, or "" when none does. */
    static String firstDifference(Map<String, List<ObjectNode>> expected, Map<String, List<ObjectNode>> actual) {
        for (String visitor : expected.keySet()) {
            if (!expected.get(visitor).equals(actual.get(visitor))) {
                return "visitor " + visitor + "\n    expected " + expected.get(visitor) + "\n    actual   " + actual.get(visitor);
            }
        }
        for (String visitor : actual.keySet()) {
            if (!expected.containsKey(visitor)) {
                return "unexpected visitor " + visitor + ": " + actual.get(visitor);
            }
        }
        return "";
    }

    /**
     * A stored document reduced to what {@link #expected} predicts: without {@code sessionId} and
     * {@code updatedAt}, without null fields, dates as UTC instants.
     */
    static ObjectNode comparable(JsonNode source) {
        ObjectNode doc = source.deepCopy();
        doc.remove(List.of("sessionId", "updatedAt"));
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            if (it.next().getValue().isNull()) {
                it.remove();
            }
        }
        for (String date : List.of("start", "end")) {
            if (doc.hasNonNull(date)) {
                doc.put(date, Instant.parse(doc.path(date).asText()).toString());
            }
        }
        return normalized(doc);
    }

    static long time(JsonNode e) {
        JsonNode t = e.path("timestamp");
        return t.isNumber() ? t.asLong() : java.time.OffsetDateTime.parse(t.asText()).toInstant().toEpochMilli();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
