package io.webpipe.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.api.ApiServer;
import io.webpipe.api.http.Json;
import io.webpipe.config.Settings;
import io.webpipe.index.ElasticsearchClients;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.schema.Indices;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * The API at scale (not a test): a real Elasticsearch node holding {@code bench.sessions} session documents
 * behind the real {@code web-sessions} template and alias, the API in this JVM on a free loopback port, then
 * (a) {@code GET /api/sessions/{id}} at a fixed arrival rate and (b) {@code GET /api/stats/overview} over a
 * month, one request at a time. Prints a table and one {@code RESULT} line. See README.md here.
 */
public final class ApiBench {
    private static final int SESSIONS = Integer.getInteger("bench.sessions", 1_000_000);
    private static final int VISITORS = Integer.getInteger("bench.visitors", 300_000);
    /** Empty: start a node of our own, keeping its data in {@link #DATA} for the next run. */
    private static final String ES_URL = System.getProperty("bench.es-url", "");
    private static final Path DATA = Path.of(System.getProperty("bench.data", "target/bench-es"));
    private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "500"));
    private static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("bench.warmup-seconds", 15));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 60));
    /** The share of session ids asked for that exist nowhere (a 404 is a valid answer, counted apart). */
    private static final double MISSING = Double.parseDouble(System.getProperty("bench.missing-share", "0.03"));
    private static final int OVERVIEW_WARMUP = Integer.getInteger("bench.overview-warmup", 20);
    private static final int OVERVIEW_REQUESTS = Integer.getInteger("bench.overview-requests", 120);
    private static final Duration MONTH = Duration.ofDays(30);

    public static void main(String[] args) throws Exception {
        ElasticsearchNode node = ES_URL.isEmpty() ? ElasticsearchNode.start(DATA, 0) : null;
        String esUrl = node == null ? ES_URL : node.httpUrl();
        System.out.printf("Elasticsearch at %s%s%n", esUrl, node == null ? "" : " (pid " + node.pid() + ", data in " + DATA.toAbsolutePath() + ")");
        try (RestClient es = ElasticsearchClients.connect(esUrl, null, null, Duration.ofSeconds(5), Duration.ofMinutes(2))) {
            long indexed = prepare(es);
            run(esUrl, indexed, new CpuMeter(node == null ? OptionalLong.empty() : OptionalLong.of(node.pid())));
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    /** The real template and alias, then the sessions unless the alias already holds enough; returns the count. */
    private static long prepare(RestClient es) throws Exception {
        new IndexLifecycle(es, line -> System.out.println("  " + line)).ensure(Indices.SESSIONS);
        SessionLoader loader = new SessionLoader(es, Indices.SESSIONS);
        long count = loader.count();
        if (count >= SESSIONS) {
            System.out.printf("%s holds %,d sessions already: not loading%n", Indices.SESSIONS, count);
        } else {
            System.out.printf("loading %,d sessions of %,d visitors into %s%n", SESSIONS, VISITORS, Indices.SESSIONS);
            double rate = loader.load(new SyntheticSessions(VISITORS, Instant.now()), SESSIONS);
            count = loader.count();
            System.out.printf("loaded at %,.0f sessions/s; %s holds %,d%n", rate, Indices.SESSIONS, count);
        }
        System.out.printf("index: %s%n", indexStats(es));
        return count;
    }

    private static String indexStats(RestClient es) throws Exception {
        Request request = new Request("GET", "/_cat/indices/" + Indices.SESSIONS);
        request.addParameter("h", "index,docs.count,store.size,segments.count");
        request.addParameter("v", "true");
        try (InputStream body = es.performRequest(request).getEntity().getContent()) {
            return "\n" + new String(body.readAllBytes()).stripTrailing();
        }
    }

    private static void run(String esUrl, long indexed, CpuMeter cpu) throws IOException, InterruptedException {
        Settings settings = Settings.load(ApiServer.DEFAULTS, new String[] {"--api.host", "127.0.0.1", "--api.port", "0",
                "--elasticsearch.url", esUrl, "--kafka.bootstrap-servers", "127.0.0.1:1"}, Map.of());
        try (ApiServer api = ApiServer.start(settings, Clock.systemUTC()); LoadGenerator load = new LoadGenerator()) {
            String base = "http://127.0.0.1:" + api.port();
            SplittableRandom random = new SplittableRandom(1);
            Supplier<URI> byId = () -> URI.create(base + "/api/sessions/" + SyntheticSessions.id(
                    random.nextDouble() < MISSING ? indexed + random.nextLong(indexed) : random.nextLong(indexed)));
            Supplier<URI> overview = () -> overviewOfAMonth(base, random);

            JsonNode month = answer(overviewOfAMonth(base, random));
            System.out.printf("API at %s; a month holds %,d sessions of %,d visitors (%,d page views)%n", base,
                    month.path("sessions").asLong(), month.path("visitors").asLong(), month.path("pageViews").asLong());
            System.out.printf("(a) GET /api/sessions/{id} at %.0f/s: %d s warm-up, then %d s measured%n", RATE, WARMUP.toSeconds(), MEASURE.toSeconds());
            load.atRate(RATE, WARMUP, byId);
            CpuMeter.Reading before = cpu.read();
            Outcomes sessions = load.atRate(RATE, MEASURE, byId);
            CpuMeter.Span sessionsCpu = cpu.read().since(before);

            System.out.printf("(b) GET /api/stats/overview over a month, one at a time: %d warm-up, then %d measured%n", OVERVIEW_WARMUP, OVERVIEW_REQUESTS);
            load.oneAtATime(OVERVIEW_WARMUP, overview);
            before = cpu.read();
            Outcomes overviews = load.oneAtATime(OVERVIEW_REQUESTS, overview);
            CpuMeter.Span overviewCpu = cpu.read().since(before);

            new BenchReport(indexed, sessions, sessionsCpu, overviews, overviewCpu).print(System.out);
        }
    }

    /**
     * A 30-day range ending up to a day before now, at a random second: the dashboard's range moves with the clock,
     * and a fixed one would be answered from Elasticsearch's shard request cache after the first time.
     */
    private static URI overviewOfAMonth(String base, SplittableRandom random) {
        Instant to = Instant.now().minusSeconds(random.nextInt(86_400));
        return URI.create(base + "/api/stats/overview?from=" + to.minus(MONTH).toEpochMilli() + "&to=" + to.toEpochMilli());
    }

    /** One answer, to show what the bench is reading (a check that it reads anything at all). */
    private static JsonNode answer(URI target) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(target).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + target + " answered " + response.statusCode() + ": " + new String(response.body()));
        }
        return Json.MAPPER.readTree(response.body());
    }
}
