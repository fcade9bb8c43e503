package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * What an attacker of a public analytics endpoint sends: each {@link Case} is one kind of hostile
 * input, sent on the routes it applies to (straight into Kafka {@code web-log}, {@code POST /collect},
 * the pixel), each time under a visitor of its own, and says where it must end up: refused (dead
 * letter with a reason, or the collector's 4xx / per-event error), accepted (counted in a session or
 * set aside in the late topic with a reason) or either. Extremes of length, count, nesting, encoding
 * and time, odd ids, numbers out of range, oversized records, duplicate keys, field-name bombs,
 * garbage. The catalogue is deliberately not derived from the job's code.
 */
final class HostileInput {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Route { KAFKA, COLLECTOR, PIXEL }

    enum Outcome { REFUSED, ACCEPTED, EITHER }

    /** What a case may know while it builds its records: its visitor, times, the receiving clock. */
    static final class Ctx {
        final String visitor;
        final Route route;
        final long now;
        private long time;
        private int seq;

        Ctx(String visitor, Route route, long base, long now) {
            this.visitor = visitor;
            this.route = route;
            this.time = base;
            this.now = now;
        }

        /** The next event time, one millisecond after the previous one. */
        long time() {
            return time++;
        }

        String eventId() {
            return visitor + "-" + seq++;
        }

        /** A valid page view of this visitor: every case starts from one and breaks something. */
        ObjectNode event() {
            ObjectNode e = JSON.createObjectNode();
            e.put("eventId", eventId());
            e.put("type", "page_view");
            e.put("timestamp", time());
            e.put("visitorId", visitor);
            e.put("url", "https://shop.example/hostile");
            return e;
        }

        /** A valid page view as JSON text with {@code field} set to the raw JSON {@code rawValue}. */
        String eventWithRaw(String field, String rawValue) {
            ObjectNode e = event();
            e.remove(field);
            String json = e.toString();
            return json.substring(0, json.length() - 1) + ",\"" + field + "\":" + rawValue + "}";
        }
    }

    /** One kind of hostile input. */
    static final class Case {
        final String name;
        final Outcome outcome;
        /** A fragment the reason of a refusal contains (lower case), or null. */
        final String reason;
        final Function<Ctx, List<byte[]>> records;
        Set<Route> routes = EnumSet.of(Route.KAFKA, Route.COLLECTOR);
        /** Collector: each record is a whole request body of its own (not an event in a mixed batch). */
        boolean alone;
        /** Many events of one visitor: sent first, before the good traffic, in batches. */
        boolean bulk;
        /** Events of the case the job drops as redelivered (same eventId). */
        int redelivered;
        /** The visitor id as the job sees it (ids are normalised, not changed otherwise). */
        UnaryOperator<String> jobVisitor = v -> v;
        /** Extra checks of the visitor's sessions and late events, once accounted for. */
        Consumer<Accounted> check = a -> { };

        Case(String name, Outcome outcome, String reason, Function<Ctx, List<byte[]>> records) {
            this.name = name;
            this.outcome = outcome;
            this.reason = reason;
            this.records = records;
        }

        Case only(Route... only) {
            routes = EnumSet.copyOf(Arrays.asList(only));
            return this;
        }

        Case alone() {
            alone = true;
            return this;
        }

        Case bulk() {
            bulk = true;
            alone = true;
            return this;
        }

        Case redelivered(int n) {
            redelivered = n;
            return this;
        }

        Case jobVisitor(UnaryOperator<String> f) {
            jobVisitor = f;
            return this;
        }

        Case check(Consumer<Accounted> c) {
            check = c;
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Where an accepted case's events went: its session documents and its late-topic entries. */
    record Accounted(Route route, int sent, List<JsonNode> sessions, List<JsonNode> late) {}

    // --- builders ---

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> one(ObjectNode e) {
        return List.of(bytes(e));
    }

    private static List<byte[]> one(String json) {
        return List.of(utf8(json));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A valid event padded with an unknown field to exactly {@code size} bytes. */
    private static byte[] ofSize(Ctx c, int size) {
        ObjectNode e = c.event();
        String json = e.toString();
        String head = json.substring(0, json.length() - 1) + ",\"padding\":\"";
        int pad = size - utf8(head).length - 2;
        return utf8(head + "x".repeat(pad) + "\"}");
    }

    private static String rep(String s, int n) {
        return s.repeat(n);
    }

    /** Events of one visitor 10 s apart each (more than the gap): each its own session (the first ip and user agent of a session count). */
    private static List<byte[]> apart(Ctx c, ObjectNode... events) {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            records.add(bytes(events[i].put("timestamp", events[i].path("timestamp").asLong() + i * 10_000L)));
        }
        return records;
    }

    static String pad128(String visitor) {
        return (visitor + "-" + rep("v", 128)).substring(0, 128);
    }

    private static void singleSession(Accounted a, Consumer<JsonNode> check) {
        assertThat(a.sessions()).as("sessions").hasSize(1);
        check.accept(a.sessions().get(0));
    }

    private static void cut(JsonNode doc, String field, int max) {
        String v = doc.path(field).asText();
        assertThat(v).as(field).hasSize(max).endsWith("…");
    }

    /** Every hostile kind, in a fixed order. */
    static List<Case> catalogue() {
        List<Case> cases = new ArrayList<>();

        // --- every id and machine field at and beyond its limit ---
        cases.add(new Case("eventId of exactly 128 characters", Outcome.ACCEPTED, null, c -> {
            ObjectNode e = c.event();
            e.put("eventId", (c.visitor + "-").concat(rep("i", 128)).substring(0, 128));
            return one(e);
        }));
        cases.add(new Case("eventId of 129 characters", Outcome.REFUSED, "eventid", c ->
                one(c.event().put("eventId", rep("i", 129)))));
        cases.add(new Case("visitorId of exactly 128 characters", Outcome.ACCEPTED, null, c ->
                one(c.event().put("visitorId", pad128(c.visitor))))
                .jobVisitor(HostileInput::pad128));
        cases.add(new Case("visitorId of 20,000 characters", Outcome.REFUSED, "visitorid", c ->
                one(c.event().put("visitorId", c.visitor + rep("v", 20_000)))));
        cases.add(new Case("type of exactly 64 characters", Outcome.ACCEPTED, null, c ->
                one(c.event().put("type", rep("t", 64)))));
        cases.add(new Case("type of 65 characters", Outcome.REFUSED, "type", c -> one(c.event().put("type", rep("t", 65)))));
        cases.add(new Case("userId and pageId of 129 characters", Outcome.REFUSED, "longer than", c -> List.of(
                bytes(c.event().put("userId", rep("u", 129))), bytes(c.event().put("pageId", rep("p", 129))))));
        cases.add(new Case("ip of 46 characters", Outcome.REFUSED, "ip", c -> one(c.event().put("ip", rep("1", 46)))));
        cases.add(new Case("ip that is no address (SQL in 45 characters)", Outcome.ACCEPTED, null, c ->
                one(c.event().put("ip", "1' OR '1'='1'; DROP TABLE sessions; --  ")))
                .check(a -> singleSession(a, s -> assertThat(s.has("ip")).as("ip of garbage").isFalse())));
        cases.add(new Case("malformed IPv6 literals", Outcome.ACCEPTED, null, c -> apart(c,
                c.event().put("ip", "::ffff:999.1.1.1"), c.event().put("ip", "1::2::3"),
                c.event().put("ip", ":::"), c.event().put("ip", "fe80::1%eth0"))));

        // --- display strings far beyond their limits: cut, never refused ---
        cases.add(new Case("url of 30,000 characters", Outcome.ACCEPTED, null, c ->
                one(c.event().put("url", "https://shop.example/" + rep("a/", 15_000))))
                .check(a -> singleSession(a, s -> {
                    cut(s, "entryUrl", 2048);
                    assertThat(s.path("pages").get(0).asText()).hasSize(2048);
                })));
        cases.add(new Case("pageTitle of 2,000 emoji (surrogate pairs)", Outcome.ACCEPTED, null, c ->
                one(c.event().put("pageTitle", rep("😀", 2_000))))
                .check(a -> singleSession(a, s -> {
                    String title = s.path("entryTitle").asText();
                    assertThat(title).endsWith("…").hasSizeLessThanOrEqualTo(512);
                    assertThat(title.codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF).count()).as("unpaired surrogates").isZero();
                })));
        cases.add(new Case("referrer and userAgent of 14,000 characters", Outcome.ACCEPTED, null, c ->
                one(c.event().put("referrer", "https://evil.example/" + rep("r", 14_000))
                        .put("userAgent", "Mozilla/5.0 " + rep("(X11; ", 2_300))))
                .check(a -> singleSession(a, s -> cut(s, "referrer", 2048))));
        cases.add(new Case("user agents shaped for regex backtracking", Outcome.ACCEPTED, null, c -> apart(c,
                c.event().put("userAgent", "Mozilla/5.0 (" + rep("Windows NT 10.0; ", 28) + "AppleWebKit/" + rep("1.", 20)),
                c.event().put("userAgent", rep("Android ", 60) + rep(";", 30) + " Build/" + rep("a", 20)),
                c.event().put("userAgent", rep("(", 250) + rep("Safari/", 30)))));
        cases.add(new Case("UTM values beyond their limit, broken escapes", Outcome.ACCEPTED, null, c ->
                one(c.event().put("url", "https://shop.example/?utm_source=" + rep("s", 1_000) + "&utm_medium="
                        + rep("%ED%95%9C", 100) + "&utm_campaign=%zz%" + rep("c", 10))))
                .check(a -> singleSession(a, s -> {
                    cut(s, "utmSource", 256);
                    assertThat(s.path("utmMedium").asText()).isEqualTo(rep("한", 100));
                })));
        cases.add(new Case("script and javascript: urls in every display string", Outcome.ACCEPTED, null, c ->
                one(c.event().put("url", "javascript:alert(document.cookie)//<script>")
                        .put("pageTitle", "<img src=x onerror=alert(1)>\"'--></title>")
                        .put("referrer", "data:text/html;base64,PHNjcmlwdD4=")))
                .check(a -> singleSession(a, s ->
                        assertThat(s.path("entryTitle").asText()).isEqualTo("<img src=x onerror=alert(1)>\"'--></title>"))));

        // --- missing, empty and mistyped fields ---
        cases.add(new Case("blank visitorId", Outcome.REFUSED, "missing", c -> one(c.event().put("visitorId", " \t\n "))));
        cases.add(new Case("empty eventId", Outcome.REFUSED, "missing", c -> one(c.event().put("eventId", ""))).only(Route.KAFKA));
        // The collector makes an eventId for a blank one as for an absent one (README: "only when it is absent").
        cases.add(new Case("empty eventId, completed by the collector", Outcome.ACCEPTED, null, c -> one(c.event().put("eventId", "")))
                .only(Route.COLLECTOR));
        cases.add(new Case("required fields null", Outcome.REFUSED, "missing", c -> List.of(
                bytes(c.event().putNull("type")), bytes(c.event().putNull("timestamp")))));
        cases.add(new Case("ids of the wrong JSON type", Outcome.REFUSED, "must be", c -> List.of(
                utf8(c.eventWithRaw("eventId", "12345")), utf8(c.eventWithRaw("visitorId", "{\"id\":\"" + c.visitor + "\"}")),
                utf8(c.eventWithRaw("type", "[\"page_view\"]")), utf8(c.eventWithRaw("url", "3.14")),
                utf8(c.eventWithRaw("properties", "\"a string\"")))));
        cases.add(new Case("page view without url", Outcome.REFUSED, "url", c -> {
            ObjectNode e = c.event();
            e.remove("url");
            return one(e);
        }));
        cases.add(new Case("field names in another case (VisitorId)", Outcome.REFUSED, "missing", c -> {
            ObjectNode e = c.event();
            e.remove("visitorId");
            e.put("VisitorId", c.visitor);
            return one(e);
        }));

        // --- counts and nesting ---
        cases.add(new Case("properties of exactly 100 fields", Outcome.ACCEPTED, null, c -> {
            ObjectNode e = c.event();
            ObjectNode p = e.putObject("properties");
            for (int i = 0; i < 100; i++) {
                p.put("k" + i, i);
            }
            return one(e);
        }));
        cases.add(new Case("properties of 101 fields", Outcome.REFUSED, "properties", c -> {
            ObjectNode e = c.event();
            ObjectNode p = e.putObject("properties");
            for (int i = 0; i < 101; i++) {
                p.put("k" + i, i);
            }
            return one(e);
        }));
        cases.add(new Case("properties nested 4 levels", Outcome.ACCEPTED, null, c -> one(
                c.eventWithRaw("properties", "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}"))));
        cases.add(new Case("properties nested 5 levels", Outcome.REFUSED, "properties", c -> one(
                c.eventWithRaw("properties", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}")))
                // In a batch, the collector refuses the whole request (its JSON nesting limit is the event's + 1).
                .alone());
        cases.add(new Case("nesting 5,000 levels deep", Outcome.REFUSED, null, c -> one(
                c.eventWithRaw("properties", rep("{\"a\":", 5_000) + "1" + rep("}", 5_000)))).alone());
        cases.add(new Case("prototype-pollution and odd property names", Outcome.ACCEPTED, null, c -> one(
                c.eventWithRaw("properties", "{\"__proto__\":{\"admin\":true},\"constructor\":{\"prototype\":1},\"\":\"\","
                        + "\"a.b.c\":1,\"$where\":\"1\",\"" + rep("n", 20_000) + "\":1}"))));
        cases.add(new Case("2,000 unknown top-level fields", Outcome.ACCEPTED, null, c -> {
            ObjectNode e = c.event();
            for (int i = 0; i < 2_000; i++) {
                e.put("f" + i, i);
            }
            return one(e);
        }));
        cases.add(new Case("numbers out of range in properties", Outcome.ACCEPTED, null, c -> one(
                c.eventWithRaw("properties", "{\"big\":" + rep("9", 60) + ",\"huge\":1e400,\"tiny\":-1e-400,\"neg\":-"
                        + rep("9", 60) + ",\"f\":1.7976931348623157E309}"))));
        cases.add(new Case("field-name bomb: 1,200 distinct type names of one visitor", Outcome.ACCEPTED, null, c -> {
            List<byte[]> events = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                events.add(bytes(c.event().put("type", String.format("custom_%04d_%s", i, "x".repeat(i % 40)))));
            }
            return events;
        }).bulk().check(a -> singleSession(a, s -> {
            assertThat(s.path("eventCount").asInt()).isEqualTo(1_200);
            JsonNode types = s.path("eventTypes");
            assertThat(types).as("eventTypes, capped").hasSize(50);
            assertThat(types.get(49).path("type").asText()).isEqualTo("(other)");
            assertThat(types.get(49).path("count").asInt()).isEqualTo(1_151);
        })));
        cases.add(new Case("field-name bomb: 6,000 distinct properties keys of one visitor", Outcome.ACCEPTED, null, c -> {
            List<byte[]> events = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ObjectNode e = c.event().put("type", "click");
                ObjectNode p = e.putObject("properties");
                for (int k = 0; k < 100; k++) {
                    p.put("key_" + i + "_" + k, k);
                }
                events.add(bytes(e));
            }
            return events;
        }).bulk());
        cases.add(new Case("redelivered eventIds, also with other content", Outcome.ACCEPTED, null, c -> {
            List<ObjectNode> first = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                first.add(c.event());
            }
            List<byte[]> events = new ArrayList<>();
            first.forEach(e -> events.add(bytes(e)));
            events.add(bytes(first.get(0)));
            events.add(bytes(first.get(0)));
            events.add(bytes(first.get(1).deepCopy().put("type", "click").put("timestamp", first.get(1).path("timestamp").asLong() + 5)));
            events.add(bytes(first.get(2).deepCopy().put("url", "https://shop.example/other")));
            return events;
        }).bulk().redelivered(4).check(a -> singleSession(a, s -> {
            assertThat(s.path("eventCount").asInt()).isEqualTo(5);
            assertThat(s.path("pageViews").asInt()).as("the first delivery of each eventId counts").isEqualTo(5);
        })));
        cases.add(new Case("one visitor with 20,000 events", Outcome.ACCEPTED, null, c -> {
            List<byte[]> events = new ArrayList<>();
            int n = c.route == Route.KAFKA ? 20_000 : 2_500;
            for (int i = 0; i < n; i++) {
                events.add(bytes(c.event().put("type", "click")));
            }
            return events;
        }).bulk().check(a -> {
            assertThat(a.sessions()).as("sessions").hasSize(1);
            assertThat(a.sessions().get(0).path("eventCount").asInt()).as("events kept of a visitor").isEqualTo(2_000);
            assertThat(a.late()).hasSize(a.sent() - 2_000)
                    .allSatisfy(l -> assertThat(l.path("reason").asText()).contains("session.max-events"));
        }));

        // --- encodings ---
        cases.add(new Case("invalid UTF-8 bytes in a string", Outcome.REFUSED, null, c -> {
            String json = c.event().put("pageTitle", "@@").toString();
            int at = json.indexOf("@@");
            return List.of(concat(utf8(json.substring(0, at)), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF},
                    utf8(json.substring(at + 2))));
        }).alone());
        cases.add(new Case("overlong UTF-8 encoding in an id", Outcome.REFUSED, null, c -> {
            String json = c.event().put("visitorId", c.visitor + "@@").toString();
            int at = json.indexOf("@@");
            return List.of(concat(utf8(json.substring(0, at)), new byte[] {(byte) 0xC0, (byte) 0xAF},
                    utf8(json.substring(at + 2))));
        }).alone());
        cases.add(new Case("UTF-8-encoded surrogate half (CESU)", Outcome.EITHER, null, c -> {
            String json = c.event().put("pageTitle", "@@").toString();
            int at = json.indexOf("@@");
            return List.of(concat(utf8(json.substring(0, at)), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    utf8(json.substring(at + 2))));
        }).alone());
        cases.add(new Case("UTF-16 and UTF-8-with-BOM records", Outcome.EITHER, null, c -> List.of(
                c.event().toString().getBytes(StandardCharsets.UTF_16),
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(c.event())))).alone());
        cases.add(new Case("unpaired high surrogate escape in visitorId", Outcome.ACCEPTED, null, c -> one(
                c.eventWithRaw("visitorId", "\"" + c.visitor + "\\ud800\"")))
                .jobVisitor(v -> v + "\uFFFD"));
        cases.add(new Case("unpaired low surrogate escapes in eventId and title", Outcome.ACCEPTED, null, c -> {
            ObjectNode e = c.event();
            e.remove("eventId");
            String json = e.toString();
            return one(json.substring(0, json.length() - 1) + ",\"eventId\":\"x\\udc00" + c.visitor
                    + "\",\"pageTitle\":\"\\udfff\\ud83d title \\ud83d\\ude00\"}");
        }).check(a -> singleSession(a, s -> assertThat(s.path("entryTitle").asText()).isEqualTo("\uFFFD\uFFFD title 😀"))));
        cases.add(new Case("NUL escape in eventId", Outcome.REFUSED, "control", c -> one(
                c.eventWithRaw("eventId", "\"" + c.visitor + "\\u0000\""))));
        cases.add(new Case("ESC and NEL (C0, C1 controls) in visitorId", Outcome.REFUSED, "control", c -> List.of(
                bytes(c.event().put("visitorId", c.visitor + "\u001b[31m")), bytes(c.event().put("visitorId", c.visitor + "\u0085")))));
        cases.add(new Case("raw control byte inside a string", Outcome.REFUSED, null, c -> one(
                c.event().put("pageTitle", "@@").toString().replace("@@", "a\u0001b"))).alone());
        cases.add(new Case("RTL override, zero-width joiner and BOM in visitorId", Outcome.ACCEPTED, null, c -> one(
                c.event().put("visitorId", c.visitor + "\u202E\u200D\uFEFF\u200F"))).jobVisitor(v -> v + "\u202E\u200D\uFEFF\u200F"));
        cases.add(new Case("Korean, emoji and combining marks as ids", Outcome.ACCEPTED, null, c -> one(
                c.event().put("visitorId", c.visitor + "방문자👩‍👩‍👧e\u0301").put("eventId", "이벤트😀" + c.visitor)))
                .jobVisitor(v -> v + "방문자👩‍👩‍👧e\u0301"));
        cases.add(new Case("NUL, newlines and escapes in display strings", Outcome.ACCEPTED, null, c -> one(
                c.event().put("pageTitle", "a\u0000b\r\nc\u001b[2J\u0085").put("url", "https://shop.example/\u0000\n?q=\u0007"))));

        // --- time ---
        cases.add(new Case("timestamp in year 9999", Outcome.REFUSED, "future", c -> one(
                c.event().put("timestamp", "9999-12-31T23:59:59Z"))));
        cases.add(new Case("timestamp 6 minutes ahead (beyond the 5-minute skew)", Outcome.REFUSED, "future", c -> List.of(
                bytes(c.event().put("timestamp", c.now + 6 * 60_000)),
                bytes(c.event().put("timestamp", Instant.ofEpochMilli(c.now + 6 * 60_000).toString())))));
        cases.add(new Case("timestamp of year 0000 and before 1970", Outcome.ACCEPTED, null, c -> List.of(
                bytes(c.event().put("timestamp", "0000-01-01T00:00:00Z")), bytes(c.event().put("timestamp", -1L)),
                bytes(c.event().put("timestamp", "1969-12-31T23:59:59.999-14:00")))));
        cases.add(new Case("timestamp before year 0000", Outcome.REFUSED, "timestamp", c -> List.of(
                bytes(c.event().put("timestamp", "-0001-12-31T23:59:59Z")), bytes(c.event().put("timestamp", -62_167_219_200_001L)))));
        cases.add(new Case("timestamps at ±292 million years (ISO)", Outcome.REFUSED, "timestamp", c -> List.of(
                bytes(c.event().put("timestamp", "+292278994-08-17T07:12:55.807Z")),
                bytes(c.event().put("timestamp", "-292275055-05-16T16:47:04.192Z")),
                bytes(c.event().put("timestamp", "+999999999-12-31T23:59:59.999999999+18:00")))));
        cases.add(new Case("epoch milliseconds at Long.MAX_VALUE and Long.MIN_VALUE", Outcome.REFUSED, "timestamp", c -> List.of(
                bytes(c.event().put("timestamp", Long.MAX_VALUE)), bytes(c.event().put("timestamp", Long.MIN_VALUE)),
                bytes(c.event().put("timestamp", Long.toString(Long.MAX_VALUE))))));
        cases.add(new Case("epoch overflow: 2^63 and 20 digits, as number and string", Outcome.REFUSED, "timestamp", c -> List.of(
                utf8(c.eventWithRaw("timestamp", "9223372036854775808")), utf8(c.eventWithRaw("timestamp", "\"9999999999999999999\"")),
                utf8(c.eventWithRaw("timestamp", "-99999999999999999999")), utf8(c.eventWithRaw("timestamp", "\"00000000000000000000001\"")))));
        cases.add(new Case("float and exponent timestamps", Outcome.REFUSED, "timestamp", c -> List.of(
                utf8(c.eventWithRaw("timestamp", c.now + ".5")), utf8(c.eventWithRaw("timestamp", "1.7E12")),
                utf8(c.eventWithRaw("timestamp", "1e3")), utf8(c.eventWithRaw("timestamp", "-0.0")))));
        cases.add(new Case("number of 100 digits", Outcome.REFUSED, null, c -> one(
                c.eventWithRaw("timestamp", rep("1", 100)))).alone());
        cases.add(new Case("timestamps that are no date", Outcome.REFUSED, "timestamp", c -> List.of(
                bytes(c.event().put("timestamp", "2026-11-25T09:00:00")), bytes(c.event().put("timestamp", "2026-12-31T23:59:60Z")),
                bytes(c.event().put("timestamp", "")), bytes(c.event().put("timestamp", rep("2026", 250))),
                utf8(c.eventWithRaw("timestamp", "true")), utf8(c.eventWithRaw("timestamp", "[1]")))));
        cases.add(new Case("NaN and Infinity literals", Outcome.REFUSED, null, c -> List.of(
                utf8(c.eventWithRaw("timestamp", "NaN")), utf8(c.eventWithRaw("timestamp", "-Infinity")))).alone());

        // --- records beyond the limits ---
        cases.add(new Case("event of 32 KiB + 1 byte", Outcome.REFUSED, "larger than", c -> List.of(ofSize(c, 32 * 1024 + 1))).alone());
        cases.add(new Case("event of exactly 32 KiB", Outcome.ACCEPTED, null, c -> List.of(ofSize(c, 32 * 1024))).only(Route.KAFKA));
        cases.add(new Case("record of 100 KB", Outcome.REFUSED, "larger than", c -> List.of(ofSize(c, 100_000))).alone());
        cases.add(new Case("record of 900 KB", Outcome.REFUSED, "larger than", c -> List.of(ofSize(c, 900_000))).alone());
        cases.add(new Case("body over 1 MiB", Outcome.REFUSED, null, c -> List.of(ofSize(c, 1024 * 1024 + 10)))
                .alone().only(Route.COLLECTOR));
        cases.add(new Case("batch of 501 events", Outcome.REFUSED, null, c -> {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 501; i++) {
                batch.append(i == 0 ? "" : ",").append(c.event());
            }
            return List.of(utf8(batch.append("]").toString()));
        }).alone().only(Route.COLLECTOR));

        // --- not an event at all ---
        cases.add(new Case("duplicate JSON keys", Outcome.REFUSED, null, c -> List.of(
                utf8(c.eventWithRaw("visitorId", "\"" + c.visitor + "\",\"visitorId\":\"" + c.visitor + "-other\"")),
                utf8(c.eventWithRaw("properties", "{\"a\":1,\"a\":2}")))).alone());
        cases.add(new Case("empty and whitespace-only records", Outcome.REFUSED, null, c -> List.of(
                new byte[0], utf8("   \r\n\t  "))).alone());
        cases.add(new Case("null record (tombstone)", Outcome.REFUSED, "empty", c -> {
            List<byte[]> tombstone = new ArrayList<>();
            tombstone.add(null);
            return tombstone;
        }).only(Route.KAFKA));
        cases.add(new Case("JSON scalars", Outcome.REFUSED, null, c -> List.of(
                utf8("42"), utf8("\"" + c.visitor + "\""), utf8("true"), utf8("null"))).alone());
        cases.add(new Case("a JSON array as a record", Outcome.REFUSED, "object", c -> List.of(
                utf8("[" + c.event() + "]"))).only(Route.KAFKA));
        cases.add(new Case("an array inside a batch", Outcome.REFUSED, "object", c -> one(
                "[" + c.event() + "]")).only(Route.COLLECTOR));
        cases.add(new Case("trailing data after the event", Outcome.REFUSED, null, c -> List.of(
                utf8(c.event() + " <garbage>"), utf8(c.event().toString() + c.event()))).alone());
        cases.add(new Case("JSON5: comments, single quotes, unquoted names", Outcome.REFUSED, null, c -> List.of(
                utf8("/* x */" + c.event()), utf8(c.event().toString().replace('"', '\'')),
                utf8("{eventId:\"" + c.eventId() + "\",type:\"click\",timestamp:" + c.time() + ",visitorId:\"" + c.visitor + "\"}")))
                .alone());
        cases.add(new Case("binary garbage", Outcome.REFUSED, null, c -> {
            byte[] noise = new byte[4096];
            new Random(c.visitor.hashCode()).nextBytes(noise);
            return List.of(noise, gzip(bytes(c.event())), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0});
        }).alone());
        cases.add(new Case("form-encoded body", Outcome.REFUSED, null, c -> List.of(
                utf8("eventId=" + c.eventId() + "&type=click&visitorId=" + c.visitor))).alone());
        return cases;
    }

    /** Pixel requests ({@code GET /collect/p.gif?...}): one visitor each. */
    static List<Case> pixels() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("pixel: a valid page view", Outcome.ACCEPTED, null, c -> List.of(utf8(
                "type=page_view&visitorId=" + enc(c.visitor) + "&url=" + enc("https://shop.example/px") + "&timestamp=" + c.time())))
                .only(Route.PIXEL));
        cases.add(new Case("pixel: NUL in visitorId", Outcome.REFUSED, null, c -> List.of(utf8(
                "type=page_view&visitorId=" + enc(c.visitor) + "%00&url=x&timestamp=" + c.time()))).only(Route.PIXEL));
        cases.add(new Case("pixel: type of 65 characters", Outcome.REFUSED, null, c -> List.of(utf8(
                "type=" + rep("t", 65) + "&visitorId=" + enc(c.visitor) + "&timestamp=" + c.time()))).only(Route.PIXEL));
        cases.add(new Case("pixel: timestamp a year ahead", Outcome.REFUSED, null, c -> List.of(utf8(
                "type=click&visitorId=" + enc(c.visitor) + "&timestamp=" + (c.now + 365L * 86_400_000)))).only(Route.PIXEL));
        cases.add(new Case("pixel: url of 6,000 characters, repeated parameters", Outcome.ACCEPTED, null, c -> List.of(utf8(
                "type=page_view&visitorId=" + enc(c.visitor) + "&visitorId=other&url=" + enc("https://shop.example/" + rep("u", 6_000))
                        + "&url=x&timestamp=" + c.time()))).only(Route.PIXEL)
                .check(a -> singleSession(a, s -> cut(s, "entryUrl", 2048))));
        cases.add(new Case("pixel: broken percent-encoding and invalid UTF-8", Outcome.EITHER, null, c -> List.of(utf8(
                "type=page_view&visitorId=" + enc(c.visitor) + "&url=x&pageTitle=%zz%C3%28%ED%A0%80%&timestamp=" + c.time())))
                .only(Route.PIXEL));
        cases.add(new Case("pixel: query string of 100 KB", Outcome.REFUSED, null, c -> List.of(utf8(
                "type=click&visitorId=" + enc(c.visitor) + "&pageTitle=" + rep("q", 100_000)))).only(Route.PIXEL));
        return cases;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
