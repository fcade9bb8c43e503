package io.webpipe.api;

import io.webpipe.api.http.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestHighLevelClient;
import spark.Service;

/** {@code GET /health}: can Elasticsearch and Kafka be reached right now. */
final class HealthCheck implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String UP = "up";

    private final RestHighLevelClient elasticsearch;
    private final Admin kafka;

    HealthCheck(RestHighLevelClient elasticsearch, String kafkaBootstrapServers) {
        this.elasticsearch = elasticsearch;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "webpipe-api-health");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        this.kafka = Admin.create(p);
    }

    /** {@code GET /health}: 200 when every dependency is up, else 503 naming the ones down. */
    void register(Service http) {
        http.get("/health", (req, res) -> {
            Map<String, String> parts = check();
            boolean up = parts.values().stream().allMatch(UP::equals);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", up ? UP : "down");
            body.putAll(parts);
            if (!up) {
                res.status(503);
                body.put("message", "down: " + String.join(", ",
                        parts.entrySet().stream().filter(e -> !UP.equals(e.getValue())).map(Map.Entry::getKey).toList()));
            }
            return body;
        }, Json::write);
    }

    /** "up" or "down: reason" per dependency. */
    private Map<String, String> check() {
        Map<String, String> status = new LinkedHashMap<>();
        status.put("elasticsearch", elasticsearch());
        status.put("kafka", kafka());
        return status;
    }

    private String elasticsearch() {
        try {
            return elasticsearch.ping(RequestOptions.DEFAULT) ? UP : "down: ping failed";
        } catch (Exception e) {
            return "down: " + e.getClass().getSimpleName();
        }
    }

    private String kafka() {
        try {
            int brokers = kafka.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            return brokers > 0 ? UP : "down: no brokers";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down: interrupted";
        } catch (Exception e) {
            return "down: " + (e.getCause() != null ? e.getCause().getClass().getSimpleName() : e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        kafka.close(Duration.ofSeconds(5));
    }
}
