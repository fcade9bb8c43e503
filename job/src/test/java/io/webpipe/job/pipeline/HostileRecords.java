package io.webpipe.job.pipeline;

import io.webpipe.schema.EventContract;
import io.webpipe.schema.WebEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Records an attacker of a public analytics endpoint (or a broken client) may put on {@code web-log}:
 * those the contract refuses, by kind, and those it accepts although they push a limit. Event times are
 * around {@code t0}, so no record moves event time ahead of the rest.
 */
final class HostileRecords {
    static final String BOT = "bot-20000";
    static final String TYPE_BOMB = "type-bomb";
    static final int TYPE_BOMB_EVENTS = 1200;
    /** Kinds in {@link #accepted}. */
    static final int ACCEPTED_KINDS = 17;

    private HostileRecords() {}

    /** Kind -> record; each must become a dead letter. */
    static Map<String, byte[]> refused(long t0) {
        long now = System.currentTimeMillis();
        Map<String, String> json = new LinkedHashMap<>();
        json.put("whitespace only", "   \n\t ");
        json.put("not JSON", "{not json");
        json.put("a JSON array", "[1,2,3]");
        json.put("a JSON number", "42");
        json.put("a JSON string", "\"page_view\"");
        json.put("JSON null", "null");
        json.put("two objects", event("x1", "v", t0, "") + event("x2", "v", t0, ""));
        json.put("no eventId", "{\"type\":\"click\",\"timestamp\":" + t0 + ",\"visitorId\":\"v\"}");
        json.put("no visitorId", "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":" + t0 + "}");
        json.put("no type", "{\"eventId\":\"e\",\"timestamp\":" + t0 + ",\"visitorId\":\"v\"}");
        json.put("no timestamp", "{\"eventId\":\"e\",\"type\":\"click\",\"visitorId\":\"v\"}");
        json.put("eventId a number", "{\"eventId\":7,\"type\":\"click\",\"timestamp\":" + t0 + ",\"visitorId\":\"v\"}");
        json.put("eventId an object", "{\"eventId\":{\"$gt\":\"\"},\"type\":\"click\",\"timestamp\":" + t0 + ",\"visitorId\":\"v\"}");
        json.put("visitorId an array", "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":" + t0 + ",\"visitorId\":[\"a\",\"b\"]}");
        json.put("url a number", event("e", "v", t0, ",\"url\":12"));
        json.put("eventId over its limit", event("e".repeat(EventContract.MAX_ID_LENGTH + 1), "v", t0, ""));
        json.put("visitorId of 10,000 characters", event("e", "v".repeat(10_000), t0, ""));
        json.put("userId over its limit", event("e", "v", t0, ",\"userId\":\"" + "u".repeat(EventContract.MAX_ID_LENGTH + 1) + "\""));
        json.put("type over its limit", "{\"eventId\":\"e\",\"type\":\"" + "t".repeat(EventContract.MAX_TYPE_LENGTH + 1)
                + "\",\"timestamp\":" + t0 + ",\"visitorId\":\"v\"}");
        json.put("control character in an id", event("e\\u0001", "v", t0, ""));
        json.put("NUL in an id", event("e", "v\\u0000", t0, ""));
        json.put("ip over its limit", event("e", "v", t0, ",\"ip\":\"" + "1".repeat(EventContract.MAX_IP_LENGTH + 1) + "\""));
        json.put("a day ahead of the clock", event("e", "v", now + 86_400_000L, ""));
        json.put("just beyond the future skew", event("e", "v", now + EventContract.DEFAULT_MAX_FUTURE_SKEW.toMillis() + 60_000, ""));
        json.put("before year 0000", event("e", "v", -62_167_219_200_001L, ""));
        json.put("year +999999999", timestamp("\"+999999999-12-31T23:59:59Z\""));
        json.put("year -999999999", timestamp("\"-999999999-01-01T00:00:00Z\""));
        json.put("292 million years in epoch ms", timestamp("9223372036854775807"));
        json.put("epoch beyond a long", timestamp("9223372036854775808"));
        json.put("epoch as digits beyond a long", timestamp("\"99999999999999999999999\""));
        json.put("float epoch", timestamp("1.7955648E12"));
        json.put("exponent beyond a double", timestamp("1e400"));
        json.put("boolean timestamp", timestamp("true"));
        json.put("words as timestamp", timestamp("\"yesterday\""));
        json.put("ISO without offset", timestamp("\"2026-11-25T09:00:00\""));
        json.put("a number of 1,000 digits", event("e", "v", t0, ",\"x\":" + "9".repeat(1000)));
        json.put("duplicate keys", "{\"eventId\":\"e\",\"eventId\":\"f\",\"type\":\"click\",\"timestamp\":" + t0 + ",\"visitorId\":\"v\"}");
        json.put("properties an array", event("e", "v", t0, ",\"properties\":[1]"));
        json.put("properties nested 10 deep", event("e", "v", t0, ",\"properties\":" + "{\"a\":".repeat(10) + "1" + "}".repeat(10)));
        json.put("properties with 500 fields", event("e", "v", t0, ",\"properties\":" + fields(500)));
        json.put("nesting 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000));
        json.put("page view without url", "{\"eventId\":\"e\",\"type\":\"page_view\",\"timestamp\":" + t0 + ",\"visitorId\":\"v\",\"url\":\"\"}");
        json.put("100 KB record", event("e", "v", t0, ",\"pageTitle\":\"" + "x".repeat(100_000) + "\""));
        json.put("900 KB record", event("e", "v", t0, ",\"userAgent\":\"" + "y".repeat(900_000) + "\""));

        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("empty", new byte[0]);
        records.put("invalid UTF-8", new byte[] {'{', '"', 'e', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'});
        byte[] garbage = new byte[4096];
        new Random(8).nextBytes(garbage);
        records.put("binary garbage", garbage);
        json.forEach((kind, value) -> records.put(kind, value.getBytes(StandardCharsets.UTF_8)));
        return records;
    }

    /** Records the contract accepts although each pushes a limit, some with a visitor of its own. */
    static List<byte[]> accepted(long t0) {
        List<String> json = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) { // a bot: one session far beyond session.max-events
            json.add(event("b" + i, BOT, t0 + i, ""));
        }
        for (int i = 0; i < TYPE_BOMB_EVENTS; i++) { // a distinct custom type per event
            json.add("{\"eventId\":\"t" + i + "\",\"type\":\"custom.type." + i + "\",\"timestamp\":" + (t0 + i)
                    + ",\"visitorId\":\"" + TYPE_BOMB + "\"}");
        }
        String duplicate = event("same", "dup", t0, "");
        json.add(duplicate);
        json.add(duplicate);
        json.add(duplicate);
        json.add(pageView("u1", "long-url", t0, "https://x.example/?" + "utm_source=a&".repeat(2000), ""));
        json.add(pageView("u2", "long-title", t0, "https://x.example/t", ",\"pageTitle\":\"" + "제목".repeat(5000) + "\""));
        json.add(pageView("u3", "surrogates", t0, "https://x.example/s", ",\"pageTitle\":\"a\\ud800b\\udc00c\""));
        json.add(event("u4", "rtl\u200f\u202evisitor", t0, ""));
        json.add(event("u5\uD83D\uDE00", "emoji\uD83D\uDE00", t0, ""));
        json.add(pageView("u6", "nul-title", t0, "https://x.example/n", ",\"pageTitle\":\"a\\u0000b\""));
        json.add(event("u7", "props", t0, ",\"properties\":" + fields(EventContract.MAX_PROPERTIES_FIELDS)));
        json.add("{\"eventId\":\"u8\",\"type\":\"click\",\"timestamp\":\"2026-11-25T14:00:00+14:00\",\"visitorId\":\"far-offset\"}");
        json.add("{\"eventId\":\"u9\",\"type\":\"click\",\"timestamp\":\"" + t0 + "\",\"visitorId\":\"digits\"}");
        json.add(event("u10", "odd-ip", t0, ",\"ip\":\"not-an-ip\""));
        json.add(event("u11", "long-agent", t0, ",\"userAgent\":\"" + "Mozilla/5.0 ".repeat(500) + "\""));
        json.add(pageView("u12", "script", t0, "javascript:alert(1)",
                ",\"pageTitle\":\"<script>alert(1)</script>\",\"referrer\":\"javascript:alert(2)\""));
        json.add(event("u13", "unknown-fields", t0, fields(300).replace("{", ",").replace("}", "")));
        json.add(event("u14", "max-ids".repeat(20).substring(0, EventContract.MAX_ID_LENGTH), t0, ""));
        List<byte[]> records = new ArrayList<>();
        json.forEach(r -> records.add(r.getBytes(StandardCharsets.UTF_8)));
        return records;
    }

    /** The distinct event ids of each visitor among accepted records, as the contract decodes them. */
    static Map<String, Set<String>> distinctEventIdsByVisitor(List<byte[]> accepted) {
        EventContract contract = new EventContract(EventContract.DEFAULT_MAX_FUTURE_SKEW);
        Map<String, Set<String>> ids = new TreeMap<>();
        for (byte[] record : accepted) {
            EventContract.Decoded decoded = contract.decode(record, System.currentTimeMillis());
            if (!decoded.isAccepted()) {
                throw new IllegalStateException("not accepted: " + decoded.reason());
            }
            WebEvent e = decoded.event();
            ids.computeIfAbsent(e.visitorId, v -> new TreeSet<>()).add(e.eventId);
        }
        return ids;
    }

    private static String event(String eventId, String visitor, long t, String more) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"click\",\"timestamp\":" + t + ",\"visitorId\":\"" + visitor + "\"" + more + "}";
    }

    private static String pageView(String eventId, String visitor, long t, String url, String more) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"page_view\",\"timestamp\":" + t + ",\"visitorId\":\"" + visitor
                + "\",\"url\":\"" + url + "\"" + more + "}";
    }

    private static String timestamp(String value) {
        return "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":" + value + ",\"visitorId\":\"v\"}";
    }

    private static String fields(int n) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return s.append('}').toString();
    }
}
