package io.webpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.webpipe.schema.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    private static final String DEFAULTS = "settings-test.properties";

    @Test
    void defaultsAreOverriddenByFileThenEnvironmentThenCommandLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("webpipe.properties");
        Files.writeString(file, "session.gap=10min\nkafka.bootstrap-servers=file:9092\napi.keys=k1\n");

        Settings s = Settings.load(DEFAULTS,
                new String[] {"--config", file.toString(), "--kafka.bootstrap-servers", "cli:9092"},
                Map.of("WEBPIPE_SESSION_GAP", "5min", "WEBPIPE_KAFKA_BOOTSTRAP_SERVERS", "env:9092"));

        assertThat(s.get("kafka.bootstrap-servers")).isEqualTo("cli:9092");
        assertThat(s.getDuration("session.gap")).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.getBoolean("checkpoint.enabled")).isTrue();
        assertThat(s.describe()).containsEntry("api.keys", "******");
        assertThat(Settings.load(DEFAULTS, new String[] {"--kafka.bootstrap-servers", "sasl://app:s3cret@broker:9092"}, Map.of())
                .describe()).containsEntry("kafka.bootstrap-servers", "sasl://app:******@broker:9092");
    }

    @Test
    void parsesDurations() {
        Settings s = Settings.load(DEFAULTS, new String[] {"--session.gap=1500"}, Map.of());
        assertThat(s.getDuration("session.gap")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Settings.load(DEFAULTS, new String[] {"--session.gap", "2h"}, Map.of()).getDuration("session.gap"))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void rejectsUnknownKeysAndBadValues() {
        assertThatThrownBy(() -> Settings.load(DEFAULTS, new String[] {"--sesion.gap", "1s"}, Map.of()))
                .hasMessageContaining("unknown configuration key 'sesion.gap'");
        Settings s = Settings.load(DEFAULTS, new String[] {"--session.gap", "soon"}, Map.of());
        assertThatThrownBy(() -> s.getDuration("session.gap")).hasMessageContaining("'session.gap' must be a duration");
        assertThat(s.getOptional("api.keys")).isNull();
    }

    @Test
    void helpShowsTheDocumentedDefaults() {
        assertThat(Settings.helpRequested(new String[] {"--session.gap", "5m", "--help"})).isTrue();
        assertThat(Settings.helpRequested(new String[] {"--session.gap", "5m"})).isFalse();
        assertThat(Settings.help("test", DEFAULTS)).startsWith("usage: test [--config FILE]").contains("session.gap=");
    }

    @Test
    void defaultsNameTopicsAndAliasesThroughThePipelineNames() {
        Settings s = Settings.load(DEFAULTS, new String[0], Map.of());
        assertThat(s.get("kafka.topic")).isEqualTo(Pipeline.EVENTS_TOPIC);
        assertThat(Settings.help("test", DEFAULTS)).contains("kafka.topic=" + Pipeline.EVENTS_TOPIC);
        assertThat(Settings.load(DEFAULTS, new String[] {"--kafka.topic", "other"}, Map.of()).get("kafka.topic")).isEqualTo("other");
        assertThatThrownBy(() -> Settings.withPipelineNames("${topic.nope}")).hasMessageContaining("unknown pipeline name ${topic.nope}");
    }
}
