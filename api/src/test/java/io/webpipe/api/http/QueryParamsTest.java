package io.webpipe.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryParamsTest {

    private static QueryParams params(String name, String value) {
        return QueryParams.of(Map.of(name, new String[] {value}), Set.of(name));
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-25T09:00:00+09:00, 1795564800000",
        "2026-11-25T00:00:00Z,      1795564800000",
        "2026-11-25T00:00:00.000Z,  1795564800000",
        "2026-11-25,                1795564800000",
        "1795564800000,             1795564800000",
        "0,                         0",
        "0000-01-01T00:00:00Z,      -62167219200000",
        "9999-12-31T23:59:59.999Z,  253402300799999",
    })
    void readsInstantsInEveryAcceptedForm(String value, long millis) {
        assertThat(params("from", value).instant("from")).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"2026-11-25T09:00:00", "25.11.2026", "-5", "99999999999999999999", "now",
        "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01", "-0001-12-31T23:59:59Z",
        "999999999999999", "9223372036854775807", "+1000000000-01-01T00:00:00Z"})
    void refusesOtherInstants(String value) {
        assertThatThrownBy(() -> params("from", value).instant("from"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("from");
                });
    }

    @Test
    void emptyValuesAreAbsent() {
        QueryParams p = params("size", " ");
        assertThat(p.text("size")).isNull();
        assertThat(p.integer("size", 50, 1, 500)).isEqualTo(50);
    }

    @Test
    void longUserInputIsClippedInMessages() {
        String longValue = "x".repeat(10_000);
        assertThatThrownBy(() -> params("size", longValue).integer("size", 1, 1, 2))
                .hasMessageContaining("...")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
        assertThatThrownBy(() -> params("visitorId", longValue).text("visitorId", 2048))
                .hasMessageContaining("longer than 2048");
    }
}
