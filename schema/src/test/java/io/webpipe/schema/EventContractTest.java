package io.webpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventContractTest {

    private static EventContract.Decoded decode(String json) {
        return EventContract.decode(json.getBytes(StandardCharsets.UTF_8));
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
        assertThat(EventContract.decode(new byte[0]).reason()).isEqualTo("empty record");
        assertThat(EventContract.decode(null).isAccepted()).isFalse();
    }
}
