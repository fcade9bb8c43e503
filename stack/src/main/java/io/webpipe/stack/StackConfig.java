package io.webpipe.stack;

import io.webpipe.config.Settings;
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

    int flinkRestPort() {
        return settings.getInt("flink.rest-port");
    }

    int flinkRpcPort() {
        return settings.getInt("flink.rpc-port");
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

    private static boolean isLoopbackOrWildcard(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("configuration 'api.host' is not a known host: " + host, e);
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
