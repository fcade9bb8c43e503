package io.webpipe.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Generated requests over the operations of an OpenAPI document: every documented parameter, with
 * values drawn from its schema (enums, bounds and their neighbours, dates, cursors) mixed with
 * hostile ones (empty, huge, negative, unicode, control characters, percent-encoding garbage),
 * repeated and unknown parameters, odd methods and paths, odd headers, and collector bodies from
 * valid events to broken JSON. Every choice comes from one {@link Random}, so a seed gives one
 * sequence; only "now" as an event time is the clock's (an event within the future skew needs it).
 */
final class FuzzRequests {
    /** One documented operation: method, path template, parameters (resolved schema objects). */
    record Operation(String method, String path, List<JsonNode> parameters) {}

    /** One request as sent; {@link #toString} is printable (for failure messages). */
    record Request(String method, byte[] target, List<String> headers, byte[] body) {
        boolean isPixel() {
            // Jetty and Spark read doubled slashes as one: "//collect//p.gif" is the pixel too.
            return new String(target, StandardCharsets.ISO_8859_1).replaceAll("/+", "/").startsWith("/collect/p.gif");
        }

        @Override
        public String toString() {
            String t = printable(target);
            String b = body == null ? "" : " body(" + body.length + ")=" + printable(body);
            return method + " " + t + " " + headers + b;
        }

        private static String printable(byte[] bytes) {
            String s = new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "·");
            return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + ")";
        }
    }

    private static final List<String> ODD_METHODS =
            List.of("PUT", "DELETE", "PATCH", "HEAD", "TRACE", "OPTIONS", "POST", "GET", "FOO", "M-SEARCH", "get");
    private static final List<String> NASTY = List.of(
            "", " ", "  padded  ", "null", "undefined", "true", "-1", "0", "-0", "1e309", "NaN", "Infinity", "0x10", "1_000",
            "9".repeat(30), "-9223372036854775808", "9223372036854775807", "2147483648", "٣", "١٠",
            "나이키 운동화", "ㄴㅇㅋ", "나ㅇㅋ", "ㅋ".repeat(101), "👟🏃‍♀️", "Ｎｉｋｅ", "\u202Eevil", "\uFEFFbom", "e\u0301",
            "\u0000", "\u0007bell", "line\nbreak", "cr\rlf", "tab\t", "\u007f", "\u0085", "\u2028",
            "*", "?", "\"", "'", "\\", "/", "../../etc/passwd", "<script>alert(1)</script>", "{\"a\":1}", "[1,2]",
            "a AND b OR c", "title:x", "(", ")", "[", "]", "{", "}", "~", "^", ":", "\\u0000", "%", "%%", "+", "&", "=", "#", ";",
            "x".repeat(101), "x".repeat(2049), "가".repeat(700), "ab".repeat(2500));
    private static final List<String> PERCENT_GARBAGE =
            List.of("%", "%zz", "%e0%80", "%ED%A0%80", "%ff%fe", "%C0%AF", "%00", "%%", "%2", "%u0041", "%F0%9F", "%0d%0a");
    private static final List<String> DATES = List.of(
            "2026-11-25T09:00:00+09:00", "2026-11-25T00:00:00Z", "2026-11-25", "1795564800000", "0", "0000-01-01",
            "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "9999-12-31", "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z", "+10000-01-01", "-0001-12-31T23:59:59Z", "999999999999999", "9999999999999999",
            "9223372036854775807", "-9223372036854775808", "-1", "2026-02-30", "2026-11-25T09:00:00+18:00",
            "2026-11-25T09:00:00+19:00", "2026-11-25T24:00:00Z", "2026-11-25T09:00:00", "1970-01-01T00:00:00.000000001Z");
    private static final List<String> UNKNOWN_NAMES = List.of("visitorid", "SIZE", "size[]", "a", "", "q q", "__proto__", "from ");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "*/*");

    private final Random random;

    FuzzRequests(Random random) {
        this.random = random;
    }

    /** The operations of an OpenAPI 3 document, with {@code $ref} parameters resolved. */
    static List<Operation> operations(JsonNode openApi) {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                List<JsonNode> parameters = new ArrayList<>();
                for (JsonNode p : method.getValue().path("parameters")) {
                    parameters.add(p.has("$ref") ? openApi.at(p.get("$ref").asText().substring(1)) : p);
                }
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), parameters));
            }
        }
        return operations;
    }

    Request next(List<Operation> operations) {
        Operation op = pick(operations);
        String method = chance(0.08) ? pick(ODD_METHODS) : op.method();
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        target.writeBytes(path(op).getBytes(StandardCharsets.UTF_8));
        List<String> query = new ArrayList<>();
        for (JsonNode p : op.parameters()) {
            if ("query".equals(p.get("in").asText()) && chance(0.5)) {
                query.add(p.get("name").asText() + "=" + encode(value(p)));
                if (chance(0.04)) {
                    query.add(p.get("name").asText() + "=" + encode(value(p))); // repeated
                }
            }
        }
        if (chance(0.05)) {
            query.add(encode(pick(UNKNOWN_NAMES)) + "=" + encode(pick(NASTY)));
        }
        if (chance(0.03)) {
            query.add(pick(List.of("size", "from", "q", "", "=", "&&", "size=", "x=%", "q=a%")));
        }
        if (chance(0.01)) {
            query.add("q=" + "y".repeat(9_000)); // longer than Jetty's request head
        }
        if (!query.isEmpty() || chance(0.02)) {
            target.writeBytes(("?" + String.join("&", query)).getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = null;
        List<String> headers = new ArrayList<>();
        if (method.equals("POST") || chance(0.02)) {
            body = body();
            headers.add("Content-Type: " + pick(CONTENT_TYPES));
        }
        if (chance(0.03)) {
            headers.add("Content-Encoding: " + pick(List.of("gzip", "br", "identity", "deflate, gzip", "IDENTITY")));
        }
        if (chance(0.05)) {
            headers.add("X-Forwarded-For: " + pick(List.of("", "1.2.3.4", "::1, 10.0.0.1", "garbage", "999.1.1.1", "1.2.3.4, , ,",
                    "x".repeat(3000))));
        }
        if (chance(0.03)) {
            headers.add(pick(List.of("Authorization: Bearer ", "Authorization: Basic ???", "X-API-Key: " + "k".repeat(500),
                    "Origin: https://evil.example", "Origin: null", "Accept: text/html", "Expect: something")));
        }
        return new Request(method, target.toByteArray(), headers, body);
    }

    /** The operation's path with its parameters filled in, sometimes bent out of shape. */
    private String path(Operation op) {
        String path = op.path();
        for (JsonNode p : op.parameters()) {
            if ("path".equals(p.get("in").asText())) {
                path = path.replace("{" + p.get("name").asText() + "}", encodePath(pick(List.of("s01", "v1", "nope", pick(NASTY)))));
            }
        }
        if (chance(0.04)) {
            return pick(List.of(path + "/", "/" + path, path.toUpperCase(), path + ";jsessionid=x", path + "/%2F", path + "/..",
                    path + "%", path + "/%zz", path.replace("/", "//"), path + "/extra/segments"));
        }
        return path;
    }

    /** A value for one parameter: from its schema mostly, hostile sometimes. */
    private String value(JsonNode parameter) {
        if (chance(0.2)) {
            return pick(NASTY);
        }
        String name = parameter.get("name").asText();
        JsonNode schema = parameter.path("schema");
        if (schema.has("enum")) {
            List<String> values = new ArrayList<>();
            schema.get("enum").forEach(v -> values.add(v.asText()));
            return chance(0.8) ? pick(values) : pick(values).toUpperCase() + pick(List.of("", " ", "s"));
        }
        switch (schema.path("type").asText()) {
            case "integer": {
                long min = schema.path("minimum").asLong(0);
                long max = schema.path("maximum").asLong(Long.MAX_VALUE);
                return pick(List.of(min - 1, min, min + 1, max - 1, max, max + 1, 0L, -1L, (long) Integer.MAX_VALUE, Long.MAX_VALUE,
                        Long.MIN_VALUE, (long) random.nextInt(1000))).toString();
            }
            case "boolean":
                return pick(List.of("true", "false", "TRUE", "False", "yes", "1", "0"));
            default:
                break;
        }
        switch (name) {
            case "from": case "to": case "timestamp":
                return chance(0.7) ? pick(DATES) : Long.toString(random.nextLong());
            case "cursor":
                return cursor();
            case "q": case "page": case "pageTitle":
                return pick(List.of("나이키", "ㄴㅇㅋ", "nike", "운동화를", "Nike Air", "삼성전자", "a", "1", pick(NASTY)));
            default:
                return pick(List.of("v1", "s01", "https://shop.example/a?utm_source=news", "page_view", "click", pick(NASTY)));
        }
    }

    /** A cursor: a real one's shape with extreme values, a forged one, or garbage. */
    private String cursor() {
        String json = pick(List.of("[1795564800000,\"s01\"]", "[9223372036854775807,\"s01\"]", "[-9223372036854775808,\"\"]",
                "[99999999999999999999,\"x\"]", "[1.5,\"x\"]", "[1,\"\\ud800\"]", "[1,\"" + "x".repeat(300) + "\"]", "[1,2]",
                "[\"1\",\"s\"]", "[1]", "[1,\"s\",3]", "{}", "null", "[[[[[[[[[[1]]]]]]]]]]", "[1,\"\\u0000\"]", "not json"));
        return switch (random.nextInt(4)) {
            case 0 -> Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)); // the wrong alphabet sometimes
            case 1 -> pick(NASTY);
            default -> Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        };
    }

    /** A body for the collector: valid events and batches, hostile values, broken JSON, bodies over the limits. */
    private byte[] body() {
        Supplier<String> event = () -> "{\"eventId\":" + json(pick(List.of("e-" + random.nextInt(1_000_000), pick(NASTY))))
                + ",\"type\":" + json(pick(List.of("page_view", "click", "signup", pick(NASTY))))
                + ",\"timestamp\":" + pick(List.of("1795564800000", Long.toString(System.currentTimeMillis()), json(pick(DATES)),
                        "1e400", "-1", "true", "{}", "9223372036854775807", "92233720368547758070"))
                + ",\"visitorId\":" + json(pick(List.of("v-" + random.nextInt(100), pick(NASTY))))
                + (chance(0.7) ? ",\"url\":" + json(pick(List.of("https://shop.example/p?utm_source=x", pick(NASTY)))) : "")
                + (chance(0.3) ? ",\"properties\":" + pick(List.of("{\"a\":1}", "[]", "\"x\"", "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}",
                        fields(150))) : "")
                + (chance(0.1) ? "," + json(pick(NASTY)) + ":" + json(pick(NASTY)) : "")
                + "}";
        String text = switch (random.nextInt(14)) {
            case 0, 1, 2 -> event.get();
            case 3, 4 -> batch(1 + random.nextInt(10), event);
            case 5 -> pick(List.of("", "null", "[]", "[null]", "{}", "[[]]", "\"x\"", "1e400", "tru", "{", "[", "]", "{\"a\":}", "[1,]"));
            case 6 -> "{\"type\":\"click\",\"type\":\"page_view\",\"timestamp\":1,\"visitorId\":\"v\"}";
            case 7 -> "[".repeat(1 + random.nextInt(3000)) + "]".repeat(random.nextInt(3000));
            case 8 -> batch(501, () -> "{}");
            case 9 -> "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\",\"pageTitle\":\"" + "t".repeat(20_000 + random.nextInt(20_000))
                    + "\"}";
            case 10 -> "{\"" + "k".repeat(10_000) + "\":1,\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}";
            case 11 -> "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\",\"n\":" + "9".repeat(1 + random.nextInt(200)) + "}";
            case 12 -> event.get() + pick(List.of(" trailing", "{}", "\u0000"));
            default -> null;
        };
        if (text != null) {
            return chance(0.002) ? ("[" + "0,".repeat(600_000) + "0]").getBytes(StandardCharsets.UTF_8) // over 1 MiB
                    : text.getBytes(StandardCharsets.UTF_8);
        }
        return pick(List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0},
                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}, new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
                new byte[0]));
    }

    private String batch(int n, Supplier<String> event) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(event.get());
        }
        return "[" + String.join(",", events) + "]";
    }

    private static String fields(int n) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        }
        return b.append('}').toString();
    }

    private static String json(String s) {
        return io.webpipe.api.http.Json.write(s);
    }

    /** Mostly proper percent-encoding; sometimes raw bytes (only what would end the request line escaped) or with garbage spliced in. */
    private String encode(String value) {
        double r = random.nextDouble();
        if (r < 0.8) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
        if (r < 0.9) {
            StringBuilder raw = new StringBuilder();
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                raw.append(c <= 0x20 || c == 0x7f || c == '#' || c == '&' ? String.format("%%%02X", c) : String.valueOf((char) c));
            }
            return new String(raw.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        int at = random.nextInt(encoded.length() + 1);
        return encoded.substring(0, at) + pick(PERCENT_GARBAGE) + encoded.substring(at);
    }

    private static String encodePath(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
