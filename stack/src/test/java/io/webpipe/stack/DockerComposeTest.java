package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/docker-compose.yml is valid (Debian's {@code docker-compose config}, which needs no engine, parses and
 * interpolates it), publishes the collector and API and nothing else — Elasticsearch (no authentication), Flink's
 * REST API (runs any uploaded jar) and Kafka stay on the compose network — and agrees with the local stack: the same
 * topics, ports, job submission and Flink configuration, and every file it mounts exists.
 */
class DockerComposeTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = REPO.resolve("docker");
    private static final Path COMPOSE = DOCKER.resolve("docker-compose.yml");
    private static final Path DOCKER_COMPOSE = Path.of(System.getProperty("webpipe.docker-compose", "/usr/bin/docker-compose"));
    /** What docker/ may set differently from flink-conf/config.yaml: host names, bind addresses and volume paths. */
    private static final Set<String> FLINK_CONTAINER_KEYS = Set.of("jobmanager.rpc.address", "jobmanager.bind-host",
            "rest.address", "rest.bind-address", "taskmanager.bind-host", "taskmanager.host", "state.checkpoints.dir",
            "state.savepoints.dir");
    private static final Pattern TOPIC_LOOP = Pattern.compile("for t in ([^;]+); do");
    private static final Pattern URL_PORT = Pattern.compile("http://(\\w+):(\\d+)/");

    private final StackConfig stack = new StackConfig(Settings.load(StackConfig.DEFAULTS, new String[0], Map.of()));

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        assertThat(DOCKER_COMPOSE).as("Debian's docker-compose package (./webpipe test installs it)").isExecutable();
        ProcessBuilder check = new ProcessBuilder(DOCKER_COMPOSE.toString(), "-f", COMPOSE.toString(), "config", "--quiet")
                .redirectErrorStream(true);
        // The secrets the file demands (${VAR:?...}); any value passes the check.
        check.environment().put("WEBPIPE_API_KEYS", "key");
        check.environment().put("WEBPIPE_GRAFANA_PASSWORD", "password");
        Process process = check.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

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
        String api = Integer.toString(stack.apiPort());
        assertThat(published).isEqualTo(Map.of("api", List.of(api + ":" + api)));
    }

    /** The host's network would publish every port of the service, whatever "ports" says. */
    @Test
    void noServiceSharesTheHostNetwork() throws IOException {
        services().forEach((name, service) -> assertThat(service.get("network_mode")).as(name).isNotEqualTo("host"));
    }

    @Test
    void kafkaGetsTheStacksTopics() throws IOException {
        Matcher loop = TOPIC_LOOP.matcher(String.valueOf(services().get("kafka-topics").get("command")));
        assertThat(loop.find()).as("the topic loop of kafka-topics").isTrue();
        assertThat(List.of(loop.group(1).trim().split("\\s+"))).isEqualTo(Arrays.asList(stack.topics().split(",")));
    }

    @Test
    void everyServiceIsReachedOnTheStacksPorts() throws IOException {
        Map<String, Map<String, Object>> services = services();
        Map<String, Integer> expected = Map.of("jobmanager", stack.flinkPorts().rest(), "kafka", stack.kafkaPort(),
                "elasticsearch", stack.elasticsearchPort(), "api", stack.apiPort());
        List<String> urls = new ArrayList<>();
        Matcher url = URL_PORT.matcher(services.toString() + Files.readString(DOCKER.resolve("prometheus/prometheus.yml")));
        while (url.find()) {
            urls.add(url.group());
            if (expected.containsKey(url.group(1))) {
                assertThat(Integer.parseInt(url.group(2))).as(url.group()).isEqualTo(expected.get(url.group(1)));
            }
        }
        assertThat(urls).as("URLs of the compose file").isNotEmpty();
        assertThat(String.valueOf(services.get("api").get("environment")))
                .contains("WEBPIPE_KAFKA_BOOTSTRAP_SERVERS=kafka:" + stack.kafkaPort())
                .contains("WEBPIPE_ELASTICSEARCH_URL=http://elasticsearch:" + stack.elasticsearchPort());
        assertThat(Files.readString(DOCKER.resolve("prometheus/prometheus.yml")))
                .contains("jobmanager:" + flinkConfig().get("metrics.reporter.prom.port").toString().split("-")[0])
                .contains("api:" + stack.apiPort());
    }

    @Test
    void theJobIsSubmittedAsTheStackSubmitsIt() throws IOException {
        String submit = String.valueOf(services().get("job-submit").get("command"));
        assertThat(submit).contains("\"parallelism\":" + stack.jobParallelism()).contains("/jars/upload").contains("/run");
        Matcher jar = Pattern.compile("/jars/(webpipe-job[^\"]*\\.jar)").matcher(submit);
        assertThat(jar.find()).isTrue();
        assertThat(ModuleJars.isModuleJar(Path.of(jar.group(1)), "job")).as(jar.group(1)).isTrue();
    }

    /** Flink runs on flink-conf/config.yaml, as the local stack does; docker/ changes only hosts and paths. */
    @Test
    void flinkRunsOnTheStacksConfiguration() throws IOException {
        Map<String, Map<String, Object>> services = services();
        for (String flink : List.of("jobmanager", "taskmanager")) {
            Map<String, Object> service = services.get(flink);
            assertThat(String.valueOf(service.get("volumes"))).contains("../flink-conf/config.yaml:");
            Properties overrides = new Properties();
            overrides.load(new StringReader(String.valueOf(((Map<?, ?>) service.get("environment")).get("FLINK_PROPERTIES"))));
            assertThat(overrides.stringPropertyNames()).as(flink + " FLINK_PROPERTIES").isSubsetOf(FLINK_CONTAINER_KEYS);
        }
        assertThat(flinkConfig()).containsKey("metrics.reporter.prom.port");
    }

    @Test
    void everyMountedFileExists() throws IOException {
        List<String> missing = new ArrayList<>();
        services().forEach((name, service) -> {
            for (Object volume : (List<?>) service.getOrDefault("volumes", List.of())) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith(".")) {
                    Path path = DOCKER.resolve(source).normalize();
                    // A module's build output exists after ./webpipe build; its module must exist now.
                    Path required = path.endsWith("target") ? path.getParent() : path;
                    if (!Files.exists(required)) {
                        missing.add(name + ": " + volume);
                    }
                }
            }
        });
        assertThat(missing).isEmpty();
    }

    private static Map<String, Object> flinkConfig() throws IOException {
        try (Reader reader = Files.newBufferedReader(REPO.resolve("flink-conf/config.yaml"))) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        try (Reader reader = Files.newBufferedReader(COMPOSE)) {
            Map<String, Object> compose = new Yaml().load(reader);
            return (Map<String, Map<String, Object>>) compose.get("services");
        }
    }
}
