package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.local.ListeningSockets;
import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The configuration the local Flink processes read: this machine's paths, and every listener on loopback. */
class FlinkClusterTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> BIND_KEYS = List.of("rest.address", "rest.bind-address", "jobmanager.rpc.address",
            "jobmanager.bind-host", "taskmanager.host", "taskmanager.bind-host");
    private static final FlinkCluster.Ports PORTS = new FlinkCluster.Ports(18081, 16123, 19249, 19250);
    private static final LogPolicy LOGS = new LogPolicy("10 MB", 30, false);

    @Test
    void theRenderedConfigBindsTheRestApiAndRpcToLoopback(@TempDir Path home) throws IOException {
        Map<String, String> config = render(REPO, home);

        BIND_KEYS.forEach(key -> assertThat(config).containsEntry(key, "127.0.0.1"));
        assertThat(config).containsEntry("rest.port", "18081").containsEntry("jobmanager.rpc.port", "16123");
        assertThat(config.get("io.tmp.dirs")).isEqualTo(home.resolve("tmp").toString());
    }

    /** What a killed process leaves in its temporary directory goes at its restart: each has one of its own. */
    @Test
    void eachProcessHasATemporaryDirectoryOfItsOwn(@TempDir Path home) {
        FlinkCluster cluster = new FlinkCluster(new StackLayout(REPO, home, home), "", PORTS, LOGS);

        assertThat(cluster.jobManager().scratchDir()).hasValue(home.resolve("tmp/jobmanager"));
        assertThat(cluster.taskManager().scratchDir()).hasValue(home.resolve("tmp/taskmanager"));
    }

    /** flink-conf/ keeps the stock reporter (it listens on every interface) for docker/; the local copy names the loopback one. */
    @Test
    void theMetricsReporterListensOnLoopbackOnItsOwnPortPerProcess(@TempDir Path home) throws IOException {
        Map<String, String> config = render(REPO, home);

        assertThat(config).containsEntry("metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.LoopbackPrometheusReporterFactory")
                .containsEntry("metrics.reporter.prom.host", "127.0.0.1")
                .doesNotContainKey("metrics.reporter.prom.port");
        assertThat(FlinkConfigFile.read(REPO.resolve("flink-conf")))
                .containsEntry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        FlinkCluster cluster = new FlinkCluster(new StackLayout(REPO, home, home), "", PORTS, LOGS);
        assertThat(cluster.jobManagerMetricsUrl()).isEqualTo("http://127.0.0.1:19249/metrics");
        assertThat(cluster.taskManagerMetricsUrl()).isEqualTo("http://127.0.0.1:19250/metrics");
    }

    /** The factory the local copy names is the one the service file registers, and it binds the host it is given. */
    @Test
    void theLoopbackFactoryIsRegisteredAndBindsItsHost() throws Exception {
        MetricReporterFactory factory = ServiceLoader.load(MetricReporterFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.getClass().getName().equals(FlinkCluster.METRICS_REPORTER_FACTORY))
                .findFirst().orElseThrow();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Properties properties = new Properties();
        properties.setProperty("host", "127.0.0.1");
        properties.setProperty("port", Integer.toString(port));
        MetricReporter reporter = factory.createMetricReporter(properties);
        try {
            assertThat(ListeningSockets.of(ProcessHandle.current().pid())).filteredOn(address -> address.getPort() == port)
                    .isNotEmpty().allMatch(address -> address.getAddress().isLoopbackAddress());
        } finally {
            reporter.close();
        }
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
        Path dir = new FlinkCluster(layout, "", PORTS, LOGS).renderConfig();
        LoaderOptions strict = new LoaderOptions();
        strict.setAllowDuplicateKeys(false);
        try (Reader in = Files.newBufferedReader(dir.resolve("config.yaml"))) {
            Map<String, Object> config = new Yaml(strict).load(in);
            return config.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
        }
    }
}
