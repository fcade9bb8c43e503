package io.webpipe.api;

import io.webpipe.api.collect.CollectRoutes;
import io.webpipe.api.collect.CorsPolicy;
import io.webpipe.api.collect.EventCollector;
import io.webpipe.api.collect.EventPublisher;
import io.webpipe.api.dashboard.DashboardRoutes;
import io.webpipe.api.http.AccessLog;
import io.webpipe.api.http.ApiKeys;
import io.webpipe.api.http.ClientAddress;
import io.webpipe.api.http.ErrorAnswers;
import io.webpipe.api.http.InFlight;
import io.webpipe.api.http.JsonJetty;
import io.webpipe.api.http.RateLimit;
import io.webpipe.api.http.RequestFilters;
import io.webpipe.api.http.Resources;
import io.webpipe.api.metrics.ApiMetrics;
import io.webpipe.api.pages.PageRoutes;
import io.webpipe.api.pages.PageSearch;
import io.webpipe.api.realtime.RealtimeRoutes;
import io.webpipe.api.realtime.RealtimeStats;
import io.webpipe.api.search.ReadAlias;
import io.webpipe.api.sessions.SessionRoutes;
import io.webpipe.api.sessions.SessionSearch;
import io.webpipe.api.sessions.SessionStats;
import io.webpipe.config.Settings;
import io.webpipe.index.ElasticsearchClients;
import io.webpipe.schema.EventContract;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
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
    private final ApiMetrics metrics = new ApiMetrics();
    private final RestHighLevelClient elasticsearch;
    private final EventPublisher publisher;
    private final HealthCheck health;
    private final Clock clock;
    private int port;
    private boolean closed;

    public static void main(String[] args) {
        if (Settings.helpRequested(args)) {
            System.out.print(Settings.help("webpipe API", DEFAULTS));
            return;
        }
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
        return start(settings, Clock.systemUTC());
    }

    /** Starts the server with the clock that realtime figures are "now" by (a fixed one in tests). */
    public static ApiServer start(Settings settings, Clock clock) {
        return new ApiServer(settings, clock);
    }

    private ApiServer(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        log.info("Starting webpipe API with configuration {}", settings.describe());
        this.elasticsearch = elasticsearchClient(settings);
        this.publisher = new EventPublisher(settings.get("kafka.bootstrap-servers"), settings.get("kafka.topic"),
                settings.getDuration("kafka.publish-timeout"), metrics.collector());
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
        new RequestFilters(new AccessLog(clientAddress), metrics.requests(), inFlight, apiKeys()).register(http);

        health.register(http);
        metrics.register(http);
        byte[] openApi = Resources.read("/io/webpipe/api/openapi.json");
        http.get("/openapi.json", (req, res) -> openApi);

        ReadAlias sessions = new ReadAlias(elasticsearch, settings.get("elasticsearch.sessions-alias"));
        ReadAlias pageCatalogue = new ReadAlias(elasticsearch, settings.get("elasticsearch.pages-alias"));
        PageSearch pages = new PageSearch(pageCatalogue);
        new SessionRoutes(new SessionSearch(sessions), new SessionStats(sessions), pages).register(http);
        new PageRoutes(pages).register(http);
        new RealtimeRoutes(new RealtimeStats(sessions, pageCatalogue, clock)).register(http);
        new DashboardRoutes().register(http);

        new CollectRoutes(
                new EventCollector(publisher, new EventContract(settings.getDuration("event.max-future-skew")), metrics.collector()),
                clientAddress,
                new CorsPolicy(list(settings.get("collector.cors-origins"))),
                rateLimit(clientAddress)).register(http);

        ErrorAnswers.register(http);
        metrics.requests().routesRegistered(http.routes());
    }

    private RateLimit rateLimit(ClientAddress clientAddress) {
        return new RateLimit(clientAddress, settings.getInt("collector.rate-limit.requests"),
                settings.getDuration("collector.rate-limit.period"), settings.getInt("collector.rate-limit.burst"),
                settings.getInt("collector.rate-limit.max-clients"), metrics.collector());
    }

    /** The API keys of /api/* and /metrics, after one start-up line that says how they are guarded (a warning when locked). */
    private ApiKeys apiKeys() {
        String host = settings.get("api.host");
        ApiKeys apiKeys = new ApiKeys(list(settings.get("api.keys")), host);
        if (apiKeys.mode() == ApiKeys.Mode.LOCKED) {
            log.warn(apiKeys.describe(host));
        } else {
            log.info(apiKeys.describe(host));
        }
        return apiKeys;
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
        closeQuietly("metrics", metrics);
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
        return new RestHighLevelClient(ElasticsearchClients.builder(settings.get("elasticsearch.url"),
                settings.getOptional("elasticsearch.username"), settings.get("elasticsearch.password"),
                settings.getDuration("elasticsearch.connect-timeout"), settings.getDuration("elasticsearch.request-timeout")));
    }

    /** A comma-separated setting as a list, blanks dropped. */
    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
