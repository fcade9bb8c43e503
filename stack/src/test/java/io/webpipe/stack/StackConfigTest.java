package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.webpipe.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's URL from {@code api.host} (read as an IP literal, never looked up); the Kafka brokers and their ports. */
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
        return config("--api.host", host).apiUrl();
    }

    @Test
    void oneBrokerByDefaultThreeOnTheOriginalsPortsWhenAsked() {
        assertThat(config().kafkaBootstrap()).isEqualTo("localhost:9092");
        assertThat(config().kafkaControllerPorts()).as("a free one").containsExactly(0);

        StackConfig cluster = config("--kafka.brokers", "3");
        assertThat(cluster.kafkaPorts()).containsExactly(9092, 19092, 29092);
        assertThat(cluster.kafkaBootstrap()).as("every broker").isEqualTo("localhost:9092,localhost:19092,localhost:29092");
        assertThat(cluster.kafkaControllerPorts()).containsExactly(9093, 19093, 29093);
    }

    @Test
    void aBrokerCountOtherThanOneOrThreeOrTooFewPortsAreRefused() {
        assertThatThrownBy(() -> config("--kafka.brokers", "2").kafkaPorts()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.brokers must be 1 or 3");
        assertThatThrownBy(() -> config("--kafka.brokers", "3", "--kafka.other-ports", "19092").kafkaPorts())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafka.other-ports must list at least 2 ports");
        assertThatThrownBy(() -> config("--kafka.brokers", "3", "--kafka.controller-ports", "9093,x,29093").kafkaControllerPorts())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafka.controller-ports");
    }

    private static StackConfig config(String... args) {
        return new StackConfig(Settings.load(StackConfig.DEFAULTS, args, Map.of()));
    }
}
