package io.webpipe.api;

import io.webpipe.api.collect.CollectRoutes;
import io.webpipe.api.collect.CorsPolicy;
import io.webpipe.api.collect.EventCollector;
import io.webpipe.api.collect.EventPublisher;
import io.webpipe.api.http.AccessLog;
import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.ApiKeys;
import io.webpipe.api.http.ClientAddress;
import io.webpipe.api.http.InFlight;
import io.webpipe.api.http.Json;
import io.webpipe.api.http.JsonJetty;
import io.webpipe.api.http.Resources;
import io.webpipe.api.pages.PageRoutes;
import io.webpipe.api.pages.PageSearch;
import io.webpipe.api.search.ReadAlias;
import io.webpipe.api.sessions.SessionRoutes;
import io.webpipe.api.sessions.SessionSearch;
import io.webpipe.api.sessions.SessionStats;
import io.webpipe.config.Settings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.logging.log4j.LogManager;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.elasticsearch.client.RestHighLevelClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Service;

/**
 * The webpipe API: analyst endpoints over the sessions in Elasticsearch and the event collector
 * that publishes to Kafka. {@link #main} runs it until SIGTERM/SIGINT, then stops gracefully:
 * requests in flight finish, the Kafka producer is flushed, clients are closed.
 */
public final class ApiServer implements AutoCloseable {
    /** The resource with every configuration key and its default. */
    public static final String DEFAULTS = "webpipe-api.properties";

    private final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private final Settings settings;
    private final Service http;
    private final InFlight inFlight = new InFlight();
    private final RestHighLevelClient elasticsearch;
    private final EventPublisher publisher;
    private final HealthCheck health;
    private int port;
    private boolean closed;

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = Settings.load(DEFAULTS, args);
            LogFiles.configure(settings);
        } catch (IllegalArgumentException e) {
            System.err.println("webpipe-api: " + e.getMessage());
            System.exit(2);
            return;
        }
        ApiServer server;
        try {
            server = start(settings);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ApiServer.class).error("webpipe API failed to start", e);
            LogManager.shutdown();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            LogManager.shutdown();
        }, "webpipe-api-shutdown"));
    }

    /** Starts the server and returns once it listens. */
    public static ApiServer start(Settings settings) {
        return new ApiServer(settings);
    }

    private ApiServer(Settings settings) {
        this.settings = settings;
        log.info("Starting webpipe API with configuration {}", settings.describe());
        this.elasticsearch = elasticsearchClient(settings);
        this.publisher = new EventPublisher(settings.get("kafka.bootstrap-servers"), settings.get("kafka.topic"),
                settings.getDuration("kafka.publish-timeout"));
        this.health = new HealthCheck(elasticsearch, settings.get("kafka.bootstrap-servers"));
        JsonJetty.register();
        this.http = Service.ignite()
                .ipAddress(settings.get("api.host"))
                .port(settings.getInt("api.port"))
                .threadPool(settings.getInt("api.max-threads"))
                .untrustForwardHeaders(); // X-Forwarded-For is judged by ClientAddress, not by Jetty
        http.embeddedServerIdentifier(JsonJetty.IDENTIFIER);
        AtomicReference<Exception> failure = new AtomicReference<>();
        http.initExceptionHandler(failure::set); // Spark's default handler would System.exit
        try {
            routes();
            http.init();
            http.awaitInitialization();
            if (failure.get() != null) {
                throw new IllegalStateException("cannot listen on " + settings.get("api.host") + ":" + settings.get("api.port")
                        + ": " + failure.get().getMessage(), failure.get());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        port = http.port();
        log.info("webpipe API listening on {}:{}", settings.get("api.host"), port);
    }

    /** The port the server listens on (the chosen one when configured as 0). */
    public int port() {
        return port;
    }

    /** Every route registered with the HTTP server, as "METHOD /path". */
    public List<String> routeList() {
        return http.routes().stream()
                .filter(r -> !r.getHttpMethod().name().contains("after") && !r.getHttpMethod().name().contains("before"))
                .map(r -> r.getHttpMethod().name().toUpperCase() + " " + r.getMatchUri())
                .toList();
    }

    private void routes() {
        ClientAddress clientAddress = new ClientAddress(list(settings.get("collector.trusted-proxies")));
        AccessLog accessLog = new AccessLog(clientAddress);
        ApiKeys apiKeys = new ApiKeys(list(settings.get("api.keys")));
        log.info("API keys for /api/*: {}", apiKeys.enabled() ? "required" : "not configured, /api/* is open");

        http.before((req, res) -> {
            accessLog.start(req);
            res.type(Json.CONTENT_TYPE);
            inFlight.enter(req);
        });
        http.before("/api/*", (req, res) -> apiKeys.check(req));

        http.get("/health", (req, res) -> {
            Map<String, String> parts = health.check();
            boolean up = parts.values().stream().allMatch("up"::equals);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", up ? "up" : "down");
            body.putAll(parts);
            if (!up) {
                res.status(503);
                body.put("message", "down: " + String.join(", ",
                        parts.entrySet().stream().filter(e -> !"up".equals(e.getValue())).map(Map.Entry::getKey).toList()));
            }
            return body;
        }, Json::write);

        byte[] openApi = Resources.read("/io/webpipe/api/openapi.json");
        http.get("/openapi.json", (req, res) -> openApi);

        ReadAlias sessions = new ReadAlias(elasticsearch, settings.get("elasticsearch.sessions-alias"));
        PageSearch pages = new PageSearch(new ReadAlias(elasticsearch, settings.get("elasticsearch.pages-alias")));
        new SessionRoutes(new SessionSearch(sessions), new SessionStats(sessions), pages).register(http);
        new PageRoutes(pages).register(http);

        new CollectRoutes(
                new EventCollector(publisher, settings.getInt("collector.max-events")),
                clientAddress,
                new CorsPolicy(list(settings.get("collector.cors-origins"))),
                settings.getInt("collector.max-body-bytes")).register(http);

        http.exception(ApiException.class, (e, req, res) -> {
            res.status(e.status());
            res.type(Json.CONTENT_TYPE);
            if (e.status() == 401) {
                res.header("WWW-Authenticate", "Bearer");
            }
            res.body(Json.error(e.error(), e.field(), e.getMessage()));
        });
        http.exception(EventPublisher.PublishException.class, (e, req, res) -> {
            log.warn("Collector could not publish to Kafka: {}", e.getMessage());
            res.status(503);
            res.type(Json.CONTENT_TYPE);
            res.body(Json.error("unavailable", null, "Kafka did not store the events; nothing was accepted, retry later"));
        });
        http.exception(Exception.class, (e, req, res) -> {
            log.error("Unexpected failure on {} {}", req.requestMethod(), req.pathInfo(), e);
            res.status(500);
            res.type(Json.CONTENT_TYPE);
            res.body(Json.error("internal_error", null, "the server failed to answer; the failure is logged"));
        });
        http.notFound((req, res) -> {
            res.type(Json.CONTENT_TYPE);
            return Json.error("not_found", null, "no route " + req.requestMethod() + " " + req.pathInfo());
        });
        http.internalServerError((req, res) -> {
            res.type(Json.CONTENT_TYPE);
            return Json.error("internal_error", null, "the server failed to answer; the failure is logged");
        });

        http.afterAfter((req, res) -> {
            inFlight.exit(req);
            accessLog.finish(req, res);
        });
    }

    /** Graceful stop: finish requests in flight, stop listening, flush Kafka, close clients. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Stopping webpipe API");
        try {
            if (!inFlight.drain(settings.getDuration("api.shutdown-timeout"))) {
                log.warn("Requests still in flight after {}; stopping anyway", settings.get("api.shutdown-timeout"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop();
        http.awaitStop();
        closeQuietly("Kafka producer", publisher);
        closeQuietly("health check", health);
        closeQuietly("Elasticsearch client", elasticsearch);
        log.info("webpipe API stopped");
    }

    private void closeQuietly(String what, AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            log.warn("Closing {} failed: {}", what, e.toString());
        }
    }

    private static RestHighLevelClient elasticsearchClient(Settings settings) {
        HttpHost[] hosts = list(settings.get("elasticsearch.url")).stream().map(HttpHost::create).toArray(HttpHost[]::new);
        int connectTimeout = (int) settings.getDuration("elasticsearch.connect-timeout").toMillis();
        int requestTimeout = (int) settings.getDuration("elasticsearch.request-timeout").toMillis();
        RestClientBuilder builder = RestClient.builder(hosts)
                .setRequestConfigCallback(c -> c.setConnectTimeout(connectTimeout).setSocketTimeout(requestTimeout));
        String user = settings.getOptional("elasticsearch.username");
        if (user != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(user, settings.get("elasticsearch.password")));
            builder.setHttpClientConfigCallback(c -> c.setDefaultCredentialsProvider(credentials));
        }
        return new RestHighLevelClient(builder);
    }

    /** A comma-separated setting as a list, blanks dropped. */
    static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
