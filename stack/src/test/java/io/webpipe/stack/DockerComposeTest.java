package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/docker-compose.yml publishes the collector and API and nothing else: Elasticsearch (no
 * authentication), Flink's REST API (runs any uploaded jar) and Kafka stay on the compose network.
 */
class DockerComposeTest {
    private static final Path COMPOSE = Path.of("..").toAbsolutePath().normalize().resolve("docker/docker-compose.yml");
    private static final String API_PORT = "4567";

    @Test
    void onlyTheApiPortIsPublished() throws IOException {
        Map<String, Map<String, Object>> services = services();
        assertThat(services).containsKeys("api", "elasticsearch", "jobmanager", "kafka");

        Map<String, Object> published = new TreeMap<>();
        services.forEach((name, service) -> {
            if (service.containsKey("ports")) {
                published.put(name, service.get("ports"));
            }
        });
        assertThat(published).isEqualTo(Map.of("api", List.of(API_PORT + ":" + API_PORT)));
    }

    /** The host's network would publish every port of the service, whatever "ports" says. */
    @Test
    void noServiceSharesTheHostNetwork() throws IOException {
        services().forEach((name, service) -> assertThat(service.get("network_mode")).as(name).isNotEqualTo("host"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        try (Reader reader = Files.newBufferedReader(COMPOSE)) {
            Map<String, Object> compose = new Yaml().load(reader);
            return (Map<String, Map<String, Object>>) compose.get("services");
        }
    }
}
