package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The configuration the local Flink processes read: this machine's paths, and every listener on loopback. */
class FlinkClusterTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> BIND_KEYS = List.of("rest.address", "rest.bind-address", "jobmanager.rpc.address",
            "jobmanager.bind-host", "taskmanager.host", "taskmanager.bind-host");

    @Test
    void theRenderedConfigBindsTheRestApiAndRpcToLoopback(@TempDir Path home) throws IOException {
        Map<String, String> config = render(REPO, home);

        BIND_KEYS.forEach(key -> assertThat(config).containsEntry(key, "127.0.0.1"));
        assertThat(config).containsEntry("rest.port", "18081").containsEntry("jobmanager.rpc.port", "16123");
        assertThat(config.get("io.tmp.dirs")).isEqualTo(home.resolve("tmp").toString());
    }

    /** flink-conf/ serves the Docker images too; whatever it says or leaves out, the local copy listens on loopback. */
    @Test
    void bindAddressesMissingFromFlinkConfAreAdded(@TempDir Path repo) throws IOException {
        Files.createDirectories(repo.resolve("flink-conf"));
        Files.writeString(repo.resolve("flink-conf/config.yaml"), "rest.bind-address: 0.0.0.0\nparallelism.default: 2\n");

        Map<String, String> config = render(repo, repo.resolve(".webpipe"));

        BIND_KEYS.forEach(key -> assertThat(config).containsEntry(key, "127.0.0.1"));
        assertThat(config).containsEntry("parallelism.default", "2");
    }

    /** Renders with fixed ports; returns the keys and values as YAML reads them (a duplicate key fails the read). */
    private static Map<String, String> render(Path repo, Path home) throws IOException {
        StackLayout layout = new StackLayout(repo, home, home.resolve("savepoints"));
        Path dir = new FlinkCluster(layout, "", 18081, 16123).renderConfig();
        LoaderOptions strict = new LoaderOptions();
        strict.setAllowDuplicateKeys(false);
        try (Reader in = Files.newBufferedReader(dir.resolve("config.yaml"))) {
            Map<String, Object> config = new Yaml(strict).load(in);
            return config.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
        }
    }
}
