package io.webpipe.stack;

import io.webpipe.config.Settings;
import io.webpipe.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The stack's settings ({@code webpipe-stack.properties}), typed, and the addresses derived from them. */
final class StackConfig {
    static final String DEFAULTS = "webpipe-stack.properties";

    private final Settings settings;

    StackConfig(Settings settings) {
        this.settings = settings;
    }

    Path home() {
        return Path.of(settings.get("stack.home"));
    }

    Path savepoints() {
        return Path.of(settings.get("stack.savepoints"));
    }

    int kafkaPort() {
        return settings.getInt("kafka.port");
    }

    String kafkaBootstrap() {
        return "localhost:" + kafkaPort();
    }

    /** {@code name:partitions,...}: the topics Kafka creates at start. */
    String topics() {
        return settings.get("kafka.topics");
    }

    List<String> topicNames() {
        return Arrays.stream(topics().split(",")).map(t -> t.split(":")[0].trim()).toList();
    }

    int elasticsearchPort() {
        return settings.getInt("elasticsearch.port");
    }

    String elasticsearchUrl() {
        return "http://localhost:" + elasticsearchPort();
    }

    FlinkCluster.Ports flinkPorts() {
        return new FlinkCluster.Ports(settings.getInt("flink.rest-port"), settings.getInt("flink.rpc-port"),
                settings.getInt("flink.jobmanager-metrics-port"), settings.getInt("flink.taskmanager-metrics-port"));
    }

    String apiHost() {
        return settings.get("api.host");
    }

    int apiPort() {
        return settings.getInt("api.port");
    }

    /** The API's base URL: localhost when it listens on loopback or on every interface, else its own host. */
    String apiUrl() {
        String host = apiHost();
        String urlHost = isLoopbackOrWildcard(host) ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + urlHost + ":" + apiPort();
    }

    /** Read as an IP literal, never looked up: a host name other than localhost is used as it is. */
    private static boolean isLoopbackOrWildcard(String host) {
        IpAddress ip = IpAddress.parse(host);
        if (ip == null) {
            return host.equalsIgnoreCase("localhost");
        }
        try {
            InetAddress address = InetAddress.getByAddress(ip.bytes());
            return address.isLoopbackAddress() || address.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an IP address of 4 or 16 bytes: " + ip, e);
        }
    }

    int jobParallelism() {
        return settings.getInt("job.parallelism");
    }

    String jobSessionGap() {
        return settings.get("job.session-gap");
    }

    boolean demoEnabled() {
        return settings.getBoolean("demo.enabled");
    }

    int demoVisitors() {
        return settings.getInt("demo.visitors");
    }

    int demoEventsPerSecond() {
        return settings.getInt("demo.events-per-second");
    }

    Duration startupTimeout() {
        return settings.getDuration("startup.timeout");
    }
}
