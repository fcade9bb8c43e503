package io.webpipe.api.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.webpipe.api.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void roundTripsTheSortValues() {
        String cursor = Cursor.encode(new Object[] {1795564800000L, "s-\"é\""});
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(Cursor.decode(cursor)).containsExactly(1795564800000L, "s-\"é\"");
        assertThat(Cursor.decode(null)).isNull();
    }

    @Test
    void anythingElseIsA400OnTheCursorParameter() {
        for (String bad : new String[] {"!!!", b64("[1]"), b64("[\"a\",\"b\"]"), b64("[1,2]"), b64("{}"), b64("[1,\"a\",3]"), b64("nope")}) {
            assertThatThrownBy(() -> Cursor.decode(bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
