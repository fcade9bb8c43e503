package io.webpipe.job.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How soon a new visitor's session is visible in the API after the collector accepted its first event, on a
 * running stack (a main, not a test: it measures, it asserts nothing). One new visitor a second posts one page
 * view to {@code /collect}; from the collector's answer on, {@code /api/visitors/{id}/sessions} is asked every
 * 100 ms until the session shows (live, long before the gap closes it). Prints p50, p90, p99 and the maximum.
 *
 * <p>Usage: {@code LiveSessionLatency [apiBaseUrl=http://localhost:4567] [visitors=120]}.
 */
public final class LiveSessionLatency {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    private LiveSessionLatency() {}

    public static void main(String[] args) throws Exception {
        String api = args.length > 0 ? args[0] : "http://localhost:4567";
        int visitors = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> pending = new ConcurrentHashMap<>();
        ScheduledExecutorService poller = Executors.newScheduledThreadPool(4);

        for (int i = 0; i < visitors; i++) {
            long started = System.nanoTime();
            String visitor = "latency-" + run + "-" + i;
            String event = "{\"eventId\":\"" + visitor + "-e1\",\"type\":\"page_view\",\"timestamp\":" + System.currentTimeMillis()
                    + ",\"visitorId\":\"" + visitor + "\",\"url\":\"https://shop.example/latency\"}";
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(api + "/collect"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("the collector answered " + accepted.statusCode() + ": " + accepted.body());
            }
            long acceptedAt = System.nanoTime();
            pending.put(visitor, acceptedAt);
            poller.schedule(() -> poll(http, api, visitor, acceptedAt, pending, latenciesMs, poller), POLL.toMillis(), TimeUnit.MILLISECONDS);
            long next = started + TimeUnit.SECONDS.toNanos(1) - System.nanoTime();
            if (next > 0) {
                TimeUnit.NANOSECONDS.sleep(next); // pacing the load generator, not synchronising a test
            }
        }
        while (!pending.isEmpty()) {
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
        poller.shutdown();
        List<Long> sorted = new ArrayList<>(latenciesMs);
        Collections.sort(sorted);
        System.out.printf("RESULT live session visible after the collector accepted the event: n=%d p50=%.1f s p90=%.1f s "
                + "p99=%.1f s max=%.1f s, not visible within %d s: %d%n", sorted.size(), seconds(sorted, 0.50),
                seconds(sorted, 0.90), seconds(sorted, 0.99), sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1) / 1000.0,
                GIVE_UP.toSeconds(), visitors - sorted.size());
    }

    private static void poll(HttpClient http, String api, String visitor, long acceptedAt, Map<String, Long> pending,
            List<Long> latenciesMs, ScheduledExecutorService poller) {
        boolean visible = false;
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + "/api/visitors/"
                    + URLEncoder.encode(visitor, StandardCharsets.UTF_8) + "/sessions")).GET().build(), HttpResponse.BodyHandlers.ofString());
            visible = answer.statusCode() == 200 && answer.body().contains("\"sessionId\"");
        } catch (Exception e) {
            System.err.println(visitor + ": " + e);
        }
        long waited = System.nanoTime() - acceptedAt;
        if (visible || waited > GIVE_UP.toNanos()) {
            if (visible) {
                latenciesMs.add(TimeUnit.NANOSECONDS.toMillis(waited));
            }
            pending.remove(visitor);
            return;
        }
        poller.schedule(() -> poll(http, api, visitor, acceptedAt, pending, latenciesMs, poller), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static double seconds(List<Long> sorted, double quantile) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.ceil(quantile * sorted.size()) - 1) / 1000.0;
    }
}
