package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's URL from {@code api.host}: read as an IP literal, never looked up. */
class StackConfigTest {
    @Test
    void loopbackAndWildcardAreLocalhostOtherAddressesAndNamesAreUsedAsTheyAre() {
        assertThat(apiUrl("127.0.0.1")).isEqualTo("http://localhost:4567");
        assertThat(apiUrl("0.0.0.0")).isEqualTo("http://localhost:4567");
        assertThat(apiUrl("::1")).isEqualTo("http://localhost:4567");
        assertThat(apiUrl("::")).isEqualTo("http://localhost:4567");
        assertThat(apiUrl("localhost")).isEqualTo("http://localhost:4567");
        assertThat(apiUrl("192.168.1.5")).isEqualTo("http://192.168.1.5:4567");
        assertThat(apiUrl("fd00::5")).isEqualTo("http://[fd00::5]:4567");
        assertThat(apiUrl("no-such-host.invalid")).isEqualTo("http://no-such-host.invalid:4567");
    }

    private static String apiUrl(String host) {
        return new StackConfig(Settings.load(StackConfig.DEFAULTS, new String[] {"--api.host", host}, Map.of())).apiUrl();
    }
}
