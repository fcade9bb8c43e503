package io.webpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventContractTest {

    private static final long NOW = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final EventContract CONTRACT = new EventContract(Duration.ofMinutes(5));

    private static EventContract.Decoded decode(String json) {
        return CONTRACT.decode(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private static String event(String extraFields) {
        return "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1700000000000,\"visitorId\":\"v\"" + extraFields + "}";
    }

    @Test
    void decodesAFullPageView() {
        EventContract.Decoded d = decode("{\"eventId\":\"e1\",\"type\":\"page_view\",\"timestamp\":\"2026-11-25T09:00:00+09:00\","
                + "\"visitorId\":\"v1\",\"userId\":\"u1\",\"url\":\"https://shop.example/a?utm_source=news\","
                + "\"pageId\":\"p1\",\"pageTitle\":\"나이키 운동화\",\"referrer\":\"https://google.com\","
                + "\"userAgent\":\"Mozilla/5.0\",\"ip\":\"10.1.2.3\",\"properties\":{\"a\":1},\"unknown\":true}");
        assertThat(d.isAccepted()).isTrue();
        WebEvent e = d.event();
        assertThat(e.timestamp).isEqualTo(1795564800000L);
        assertThat(e.pageTitle).isEqualTo("나이키 운동화");
        assertThat(e.isPageView()).isTrue();
    }

    @Test
    void commonTypesAreTheContractsOwnInstances() {
        assertThat(decode(event(",\"url\":\"https://shop.example/\"").replace("click", "page_view")).event().type)
                .isSameAs(EventContract.PAGE_VIEW);
        assertThat(decode(event("")).event().type).isSameAs(EventContract.CLICK);
        assertThat(decode(event("").replace("click", "signup")).event().type).isEqualTo("signup");
        assertThat(EventContract.commonType(null)).isNull();
    }

    @Test
    void acceptsEpochMillisAsNumberOrDigits() {
        assertThat(decode("{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1700000000000,\"visitorId\":\"v\"}").event().timestamp)
                .isEqualTo(1700000000000L);
        assertThat(decode("{\"eventId\":\"e\",\"type\":\"x\",\"timestamp\":\"1700000000000\",\"visitorId\":\"v\"}").event().timestamp)
                .isEqualTo(1700000000000L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json at all                                                     | not JSON",
        "[1,2]                                                               | not a JSON object",
        "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}            | missing required field 'eventId'",
        "{\"eventId\":\"e\",\"timestamp\":1,\"visitorId\":\"v\"}             | missing required field 'type'",
        "{\"eventId\":\"e\",\"type\":\"click\",\"visitorId\":\"v\"}          | missing required field 'timestamp'",
        "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1}              | missing required field 'visitorId'",
        "{\"eventId\":\" \",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"} | missing required field 'eventId'",
        "{\"eventId\":\"e\",\"type\":\"page_view\",\"timestamp\":1,\"visitorId\":\"v\"} | missing required field 'url'",
        "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":\"yesterday\",\"visitorId\":\"v\"} | unreadable timestamp",
        "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":\"2026-11-25T09:00:00\",\"visitorId\":\"v\"} | unreadable timestamp",
        "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1.5,\"visitorId\":\"v\"} | unreadable timestamp",
        "{\"eventId\":7,\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"} | field 'eventId' must be a string",
        "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\",\"url\":3} | field 'url' must be a string",
        "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\",\"properties\":[]} | field 'properties' must be an object",
    })
    void rejectsWithAReason(String json, String reason) {
        EventContract.Decoded d = decode(json);
        assertThat(d.isAccepted()).isFalse();
        assertThat(d.reason()).contains(reason);
    }

    @Test
    void rejectsEmptyRecords() {
        assertThat(CONTRACT.decode(new byte[0], NOW).reason()).isEqualTo("empty record");
        assertThat(CONTRACT.decode(null, NOW).isAccepted()).isFalse();
    }

    @Test
    void refusesIdsAndMachineValuesOverTheirLimit() {
        assertThat(decode(event(",\"userId\":\"" + "u".repeat(EventContract.MAX_ID_LENGTH) + "\"")).isAccepted()).isTrue();
        assertThat(decode(event(",\"userId\":\"" + "u".repeat(EventContract.MAX_ID_LENGTH + 1) + "\"")).reason())
                .isEqualTo("field 'userId' is longer than 128 characters");
        assertThat(decode(event(",\"ip\":\"" + "1".repeat(46) + "\"")).reason()).contains("field 'ip' is longer");
        assertThat(decode(event(",\"pageId\":\"a\\u0000b\"")).reason()).isEqualTo("field 'pageId' contains a control character");
        // Unescaped, as raw bytes: DEL (7F) and U+0085 (C2 85) are ISO control characters too; U+00A9 (C2 A9) is not.
        assertThat(decode(event(",\"pageId\":\"a\u007Fb\"")).reason()).isEqualTo("field 'pageId' contains a control character");
        assertThat(decode(event(",\"userId\":\"a\u0085b\"")).reason()).isEqualTo("field 'userId' contains a control character");
        assertThat(decode(event(",\"userId\":\"a\u00A9b\"")).event().userId).isEqualTo("a\u00A9b");
        assertThat(decode("{\"eventId\":\"e\",\"type\":\"" + "t".repeat(65) + "\",\"timestamp\":1,\"visitorId\":\"v\"}").reason())
                .contains("field 'type' is longer than 64");
    }

    @Test
    void cutsDisplayStringsWithAMarkerAndNeverSplitsASurrogatePair() {
        String title = "가".repeat(600);
        WebEvent e = decode(event(",\"pageTitle\":\"" + title + "\",\"url\":\"https://x/" + "a".repeat(5000) + "\"")).event();
        assertThat(e.pageTitle).hasSize(EventContract.MAX_TITLE_LENGTH).endsWith(EventContract.CUT_MARKER).startsWith("가가가");
        assertThat(e.url).hasSize(EventContract.MAX_URL_LENGTH).endsWith(EventContract.CUT_MARKER);
        String emoji = "\uD83D\uDE00".repeat(10);
        String cut = EventContract.cut(emoji, 6);
        assertThat(cut).isEqualTo("\uD83D\uDE00\uD83D\uDE00" + EventContract.CUT_MARKER);
    }

    @Test
    void refusesMalformedUtf8ThatJacksonWouldRead() {
        byte[] overlongSlash = "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1700000000000,\"visitorId\":\"v__\"}"
                .getBytes(StandardCharsets.UTF_8);
        int at = new String(overlongSlash, StandardCharsets.UTF_8).indexOf("__");
        overlongSlash[at] = (byte) 0xC0;
        overlongSlash[at + 1] = (byte) 0xAF;
        assertThat(CONTRACT.decode(overlongSlash, NOW).reason()).isEqualTo(EventContract.NOT_UTF8);
    }

    /**
     * Jackson reads a record with zeros among its first bytes as UTF-16 or UTF-32, where a string can hold what UTF-8
     * bytes without a backslash cannot (here U+0085 and an unpaired surrogate): only UTF-8 is read.
     */
    @Test
    void refusesRecordsWithANulByteSoThatOnlyUtf8IsRead() {
        String controlInId = "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1700000000000,\"visitorId\":\"\uC341\u0085\"}";
        byte[] utf16 = controlInId.getBytes(StandardCharsets.UTF_16LE);
        assertThat(CONTRACT.decode(utf16, NOW).reason()).isEqualTo(EventContract.NUL_BYTE);
        byte[] utf32 = new byte[4 * 3];
        int[] codePoints = {'[', 0xD880, ']'};
        for (int i = 0; i < codePoints.length; i++) {
            utf32[4 * i + 2] = (byte) (codePoints[i] >> 8);
            utf32[4 * i + 3] = (byte) codePoints[i];
        }
        assertThat(CONTRACT.decode(utf32, NOW).reason()).isEqualTo(EventContract.NUL_BYTE);
        assertThat(decode(event(",\"userId\":\"a\\u0000b\"")).reason()).isEqualTo("field 'userId' contains a control character");
    }

    /** Records of every length (past the check's 4,096-char buffer too), well-formed or not: the JDK's strict decode decides. */
    @Test
    void utf8IsCheckedAsTheJdksStrictDecoderChecksIt() {
        java.util.Random random = new java.util.Random(11);
        String[] pieces = {"a", "é", "한국어", "\uD83D\uDE00", "{\"x\":1}"};
        for (int i = 0; i < 3_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(10) == 0 ? 3_000 + random.nextInt(6_000) : random.nextInt(40);
            while (text.length() < length) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            if (random.nextBoolean() && bytes.length > 0) { // break it: a stray, truncated or overlong byte somewhere
                bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80));
            }
            assertThat(EventContract.isUtf8(bytes)).as("record %d", i).isEqualTo(strictlyDecodable(bytes));
        }
    }

    private static boolean strictlyDecodable(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)); // REPORT is its default
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void replacesUnpairedSurrogates() {
        WebEvent e = decode(event(",\"pageTitle\":\"a\\ud800b\\udc00c\\ud83d\\ude00\"")).event();
        assertThat(e.pageTitle).isEqualTo("a\uFFFDb\uFFFDc\uD83D\uDE00");
    }

    @Test
    void boundsPropertiesDuplicateKeysAndRecordSize() {
        assertThat(decode(event(",\"properties\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}")).isAccepted()).isTrue();
        assertThat(decode(event(",\"properties\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}")).reason()).contains("nested deeper");
        StringBuilder many = new StringBuilder(",\"properties\":{");
        for (int i = 0; i <= EventContract.MAX_PROPERTIES_FIELDS; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        assertThat(decode(event(many + "}")).reason()).contains("more than 100 fields");
        assertThat(decode("{\"eventId\":\"e\",\"eventId\":\"f\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}").reason())
                .contains("Duplicate field 'eventId'");
        assertThat(decode(event(",\"x\":[[[[[[[[[[[[1]]]]]]]]]]]]")).reason()).startsWith("not JSON");
        assertThat(decode(event("") + event("")).reason()).startsWith("not JSON");
        assertThat(decode(event(",\"pageTitle\":\"" + "a".repeat(EventContract.MAX_EVENT_BYTES) + "\"")).reason())
                .startsWith("event larger than 32768 bytes");
    }

    @Test
    void countsPropertiesAcrossObjectsAndArraysAndReadsEveryByte() {
        String hundred = "1,".repeat(EventContract.MAX_PROPERTIES_FIELDS - 2) + "1";
        assertThat(decode(event(",\"properties\":{\"a\":[" + hundred + "]}")).isAccepted()).isTrue();
        assertThat(decode(event(",\"properties\":{\"a\":[" + hundred + ",1]}")).reason()).contains("more than 100 fields");
        assertThat(decode(event(",\"properties\":{\"a\":[[[{}]]]}")).reason()).contains("nested deeper");
        assertThat(decode(event(",\"properties\":null")).isAccepted()).isTrue();
        assertThat(decode(event(",\"properties\":{\"a\":1,\"a\":2}")).reason()).contains("Duplicate field 'a'");
        assertThat(decode(event(",\"unknown\":{\"a\":[1,{\"b\":2}]}")).isAccepted()).isTrue();
        assertThat(decode(event(",\"unknown\":{\"a\":[1,}")).reason()).startsWith("not JSON");
        assertThat(decode(event(",\"url\":{\"a\":1}")).reason()).isEqualTo("field 'url' must be a string");
        assertThat(decode("[1] x").reason()).startsWith("not JSON");
        assertThat(decode("[1] [2]").reason()).startsWith("not JSON");
        assertThat(decode("  ").reason()).isEqualTo("not a JSON object");
        assertThat(decode("{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":true,\"visitorId\":\"v\"}").reason())
                .isEqualTo("unreadable timestamp: expected ISO-8601 string or epoch milliseconds, got BOOLEAN");
    }

    /** Jackson's duplicate detection is off for events: the decoder's own must find a key twice in every object. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ",\"url\":\"a\",\"url\":null                            | url",
        ",\"properties\":null,\"properties\":{}                   | properties",
        ",\"x\":1,\"y\":2,\"x\":3                                 | x",
        ",\"x\":{\"a\":[1,{\"b\":1,\"b\":2}]}                     | b",
        ",\"properties\":{\"a\":{\"b\":1},\"c\":{\"b\":1},\"a\":2}  | a",
        ",\"url\":{\"a\":1,\"a\":1}                               | a",
    })
    void refusesAKeyTwiceInAnyObject(String fields, String key) {
        assertThat(decode(event(fields)).reason()).isEqualTo("not JSON: Duplicate field '" + key + "'");
        assertThat(decode("[" + event(fields) + "]").reason()).isEqualTo("not JSON: Duplicate field '" + key + "'");
    }

    @Test
    void theSameKeyInDifferentObjectsIsNoDuplicate() {
        assertThat(decode(event(",\"x\":{\"a\":1},\"properties\":{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}")).isAccepted())
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "99999999999999999999999              | out of range",
        "\"99999999999999999999999\"           | unreadable timestamp",
        "\"+999999999-12-31T23:59:59Z\"        | unreadable timestamp",
        "\"-999999999-01-01T00:00:00Z\"        | unreadable timestamp",
        "-62167219200001                       | before year 0000",
        "1e400                                 | unreadable timestamp",
    })
    void refusesTimestampsOutOfRange(String timestamp, String reason) {
        EventContract.Decoded d = decode("{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":" + timestamp + ",\"visitorId\":\"v\"}");
        assertThat(d.isAccepted()).isFalse();
        assertThat(d.reason()).contains(reason);
    }

    @Test
    void refusesEventTimesAheadOfTheClockByMoreThanTheSkew() {
        long skew = Duration.ofMinutes(5).toMillis();
        assertThat(decode("{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":" + (NOW + skew) + ",\"visitorId\":\"v\"}")
                .isAccepted()).isTrue();
        assertThat(decode("{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":" + (NOW + skew + 1) + ",\"visitorId\":\"v\"}")
                .reason()).startsWith("timestamp in the future");
    }
}
