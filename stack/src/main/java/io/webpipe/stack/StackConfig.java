package io.webpipe.stack;

import io.webpipe.config.Settings;
import io.webpipe.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    /** 1, or 3: a cluster as the original's, each broker also a KRaft controller, the three a quorum. */
    int kafkaBrokers() {
        int brokers = settings.getInt("kafka.brokers");
        if (brokers != 1 && brokers != 3) {
            throw new IllegalArgumentException("kafka.brokers must be 1 or 3, not " + brokers);
        }
        return brokers;
    }

    /** The client port of the first (or only) broker. */
    int kafkaPort() {
        return settings.getInt("kafka.port");
    }

    /** The client port of each broker: {@link #kafkaPort()}, then {@code kafka.other-ports}. */
    List<Integer> kafkaPorts() {
        return Stream.concat(Stream.of(kafkaPort()), ports("kafka.other-ports", kafkaBrokers() - 1).stream())
                .limit(kafkaBrokers()).toList();
    }

    /** The KRaft controller port of each broker of a cluster; a single broker's controller takes a free port (0). */
    List<Integer> kafkaControllerPorts() {
        return kafkaBrokers() == 1 ? List.of(0) : ports("kafka.controller-ports", kafkaBrokers()).stream().limit(kafkaBrokers()).toList();
    }

    /** Every broker, for {@code bootstrap.servers}: a client reaches the cluster while any one of them runs. */
    String kafkaBootstrap() {
        return kafkaPorts().stream().map(port -> "localhost:" + port).collect(Collectors.joining(","));
    }

    /** {@code name:partitions,...}: the topics Kafka creates at start. */
    String topics() {
        return settings.get("kafka.topics");
    }

    List<String> topicNames() {
        return Arrays.stream(topics().split(",")).map(t -> t.split(":")[0].trim()).toList();
    }

    /** A comma-separated list of at least {@code needed} ports. */
    private List<Integer> ports(String key, int needed) {
        String value = settings.get(key);
        try {
            List<Integer> ports = value.isEmpty() ? List.of()
                    : Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
            if (ports.size() >= needed) {
                return ports;
            }
        } catch (NumberFormatException e) {
            // explained below
        }
        throw new IllegalArgumentException(key + " must list at least " + needed + " ports, comma-separated: '" + value + "'");
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

    /** How the stack restarts a part that dies. */
    Backoff supervision() {
        return new Backoff(settings.getDuration("supervise.initial-backoff"), settings.getDuration("supervise.max-backoff"),
                settings.getDuration("supervise.reset-after"), settings.getInt("supervise.max-restarts"));
    }

    /** The rotation of every part's log. */
    LogPolicy logPolicy() {
        return new LogPolicy(settings.get("log.max-size"), settings.getInt("log.keep"), settings.getBoolean("log.compress"));
    }
}
