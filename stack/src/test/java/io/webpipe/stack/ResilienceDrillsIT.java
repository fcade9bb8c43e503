package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.local.ChildProcess;
import io.webpipe.schema.Pipeline;
import io.webpipe.stack.HostileInput.Accounted;
import io.webpipe.stack.HostileInput.Case;
import io.webpipe.stack.HostileInput.Outcome;
import io.webpipe.stack.HostileInput.Route;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issues 8 and 11's proof on the stack of {@code ./webpipe up} ({@link LocalStack}) with a cluster of three Kafka
 * brokers: one job, never restarted, goes through three drills in a row.
 *
 * <ol>
 *   <li>Hostile input end to end: every kind in {@link HostileInput} sent straight into Kafka
 *       {@code web-log}, through {@code POST /collect} (mixed into the batches of good traffic) and
 *       the pixel, each kind under a visitor of its own, among known-good traffic from both routes.
 *       The good sessions must be exact field by field, and every hostile record accounted for: in
 *       a session, in {@code web-log-late} with a reason, in {@code web-log-dlq} with a reason (at
 *       its offset, with its size and sha-256), or refused by the collector.</li>
 *   <li>A 60-second Elasticsearch outage while traffic flows through the collector: the node is
 *       killed (SIGKILL), stays down 60 s, and is started again as {@code ./webpipe up} starts a part
 *       that is not running; the sessions of all the traffic must be exact.</li>
 *   <li>A broker killed while traffic flows through the collector: every answer a 202, exact sessions, and the
 *       broker, started again, catches up until no partition is under-replicated.</li>
 * </ol>
 * Each ends with the job RUNNING and an empty exception history, read from Flink's REST API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ResilienceDrillsIT {
    private static final Duration GAP = Duration.ofSeconds(3);
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final int BROKERS = 3;
    private static final String LOG = "[drills] ";

    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private StackFixture fixture;
    private LocalStack stack;
    private String jobId;

    @BeforeAll
    void upWithAShortGap() throws Exception {
        fixture = new StackFixture("drills-it", "--job.session-gap", GAP.toSeconds() + "s",
                "--kafka.brokers", Integer.toString(BROKERS),
                "--kafka.other-ports", StackFixture.freePorts(BROKERS - 1),
                "--kafka.controller-ports", StackFixture.freePorts(BROKERS),
                // The drills take parts down and bring them back themselves, as up does: nothing may restart them first.
                "--supervise.max-restarts", "0");
        stack = fixture.stack;
        stack.up();
        fixture.rememberProcesses();
        jobId = fixture.runningJob().id();
    }

    @AfterAll
    void downEvenAfterAFailure() throws Exception {
        fixture.downAndAssertNoneAlive();
    }

    // ---------------------------------------------------------------- drill 1

    /** One hostile case sent on one route, and what came of each of its records. */
    private static final class Sent {
        final Case kind;
        final Route route;
        final String visitor;
        final List<byte[]> records;
        /** Kafka route: where each record was stored. */
        final List<RecordMetadata> stored = new ArrayList<>();
        /** Collector routes: per record, refused (4xx or a per-event error), with the reason if one was given. */
        final List<Boolean> refusedByCollector;
        final List<String> collectorReasons;

        Sent(Case kind, Route route, String visitor, List<byte[]> records) {
            this.kind = kind;
            this.route = route;
            this.visitor = visitor;
            this.records = records;
            this.refusedByCollector = new ArrayList<>(java.util.Collections.nCopies(records.size(), (Boolean) null));
            this.collectorReasons = new ArrayList<>(java.util.Collections.nCopies(records.size(), (String) null));
        }

        void answered(int record, boolean refused, String reason) {
            refusedByCollector.set(record, refused);
            collectorReasons.set(record, reason);
        }

        String jobVisitor() {
            return kind.jobVisitor.apply(visitor);
        }

        @Override
        public String toString() {
            return "'" + kind.name + "' via " + route + " (visitor " + visitor + ")";
        }
    }

    private record CollectAnswer(int status, JsonNode body) {
        Set<Integer> refused() {
            Set<Integer> refused = new HashSet<>();
            body.path("errors").forEach(e -> refused.add(e.path("index").asInt()));
            return refused;
        }

        String reason(int index) {
            for (JsonNode e : body.path("errors")) {
                if (e.path("index").asInt() == index) {
                    return e.path("reason").asText();
                }
            }
            return body.path("message").asText(null);
        }
    }

    @Test
    @Order(1)
    void hostileInputThroughEveryDoorLeavesTheJobRunningAndEveryRecordAccountedFor() throws Exception {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        // Times: bulk hostile visitors first and oldest, then good traffic, with the small hostile cases among it.
        long bulkBase = now - 200_000;
        long goodBase = now - 100_000;
        KnownTraffic good = new KnownTraffic("good-" + runId, GAP);
        Map<String, Route> goodRoute = new HashMap<>();
        for (int v = 0; v < 36; v++) {
            for (int s = 0; s < 2; s++) {
                long start = goodBase + v * 200L + s * 15_000L;
                int n = 2 + (v + s) % 4;
                for (int i = 0; i < n; i++) {
                    ObjectNode e = good.event(v, s * 10 + i, start + i * 1_000L);
                    goodRoute.put(e.path("eventId").asText(), v % 3 == 0 ? Route.KAFKA : v % 3 == 1 ? Route.COLLECTOR
                            : i % 2 == 0 ? Route.KAFKA : Route.COLLECTOR);
                }
            }
        }

        List<Sent> sent = new ArrayList<>();
        List<Case> catalogue = HostileInput.catalogue();
        List<Case> all = new ArrayList<>(catalogue);
        all.addAll(HostileInput.pixels());
        for (int k = 0; k < all.size(); k++) {
            Case kind = all.get(k);
            for (Route route : kind.routes) {
                String visitor = "h-" + runId + "-" + k + "-" + route.name().charAt(0);
                long base = kind.bulk ? bulkBase : goodBase + 500 + k * 10L;
                sent.add(new Sent(kind, route, visitor, kind.records.apply(new HostileInput.Ctx(visitor, route, base, now))));
            }
        }
        long kinds = all.size();
        System.out.printf(LOG + "%d kinds of hostile input, %d (kind, route) pairs, %d records; good: %d events, %d sessions%n",
                kinds, sent.size(), sent.stream().mapToInt(s -> s.records.size()).sum(), good.events().size(),
                good.expectedSessionCount());
        assertThat(kinds).as("kinds of hostile input").isGreaterThanOrEqualTo(40);

        try (KafkaProducer<byte[], byte[]> producer = fixture.producer()) {
            // Phase A: the bulk cases (thousands of events of one visitor).
            for (Sent s : sent) {
                if (s.kind.bulk) {
                    send(producer, s);
                }
            }
            // Phase B: good traffic in time order, in chunks, each chunk with its share of the small cases.
            List<ObjectNode> goodEvents = good.events();
            goodEvents.sort(Comparator.comparingLong(KnownTraffic::time));
            List<Sent> small = sent.stream().filter(s -> !s.kind.bulk && s.route != Route.PIXEL).toList();
            int chunks = 6;
            for (int c = 0; c < chunks; c++) {
                List<ObjectNode> chunk = goodEvents.subList(goodEvents.size() * c / chunks, goodEvents.size() * (c + 1) / chunks);
                List<Sent> share = new ArrayList<>();
                for (int i = c; i < small.size(); i += chunks) {
                    share.add(small.get(i));
                }
                List<ProducerRecord<byte[], byte[]>> goodRecords = new ArrayList<>();
                List<byte[]> goodPosted = new ArrayList<>();
                for (ObjectNode e : chunk) {
                    byte[] value = HostileInput.bytes(e);
                    if (goodRoute.get(e.path("eventId").asText()) == Route.KAFKA) {
                        goodRecords.add(new ProducerRecord<>(Pipeline.EVENTS_TOPIC, HostileInput.utf8(e.path("visitorId").asText()), value));
                    } else {
                        goodPosted.add(value);
                    }
                }
                for (ProducerRecord<byte[], byte[]> r : goodRecords) {
                    producer.send(r);
                }
                for (Sent s : share) {
                    if (s.route == Route.KAFKA || s.kind.alone) {
                        send(producer, s);
                    }
                }
                postMixedBatch(goodPosted, share.stream().filter(s -> s.route == Route.COLLECTOR && !s.kind.alone).toList());
                producer.flush();
            }
            for (Sent s : sent) {
                if (s.route == Route.PIXEL) {
                    send(producer, s);
                }
            }
        }
        System.out.printf(LOG + "hostile drill: everything sent after %.1f s%n", (System.nanoTime() - started) / 1e9);

        // Wait until every good session is exact and every hostile record is accounted for.
        Map<String, List<ObjectNode>> expected = good.expected();
        String[] lastState = {""};
        Outcomes outcomes = StackFixture.await(Duration.ofMinutes(3), Duration.ofSeconds(2), () -> {
            assertThat(fixture.failureHistory(jobId)).as("the job's failures (each one restarted it)").isEmpty();
            Outcomes o = outcomes(good, sent);
            List<String> open = o.unaccounted(expected);
            if (open.isEmpty() && !o.goodSessions(good).equals(expected)) {
                open.add("good sessions differ: " + KnownTraffic.firstDifference(expected, o.goodSessions(good)));
            }
            lastState[0] = String.join("\n  ", open);
            return open.isEmpty() ? o : null;
        }, () -> "still open:\n  " + lastState[0]);
        System.out.printf(LOG + "hostile drill: all accounted for after %.1f s: %d sessions, %d dead letters, %d late events%n",
                (System.nanoTime() - started) / 1e9, outcomes.sessions.size(), outcomes.deadLetters.size(), outcomes.late.size());

        // The good traffic: exact, field by field, and nowhere else.
        assertThat(outcomes.goodSessions(good)).isEqualTo(expected);
        assertThat(outcomes.late).as("late events of good visitors")
                .noneMatch(l -> good.owns(l.path("event").path("visitorId").asText()));
        // Dead letters: exactly the records sent straight to Kafka that were refused; nothing the collector published.
        Set<String> kafkaOffsets = new HashSet<>();
        for (Sent s : sent) {
            s.stored.forEach(m -> kafkaOffsets.add(m.partition() + "@" + m.offset()));
        }
        assertThat(outcomes.deadLetters.values()).as("dead letters of records the collector accepted or of good traffic")
                .allSatisfy(d -> assertThat(kafkaOffsets).contains(d.path("partition").asInt() + "@" + d.path("offset").asLong()));
        assertThat(outcomes.documentDeadLetters).as("documents Elasticsearch refused").isEmpty();
        List<String> wrong = new ArrayList<>();
        for (Sent s : sent) {
            try {
                verify(s, outcomes);
            } catch (AssertionError e) {
                wrong.add(e.getMessage().length() > 1500 ? e.getMessage().substring(0, 1500) + "…" : e.getMessage());
            }
        }
        assertThat(wrong).as("hostile records that did not end where they must").isEmpty();
        fixture.assertRunningWithoutRestarts(jobId);
        System.out.printf(LOG + "hostile drill: passed in %.1f s; %s%n", (System.nanoTime() - started) / 1e9, outcomes.summary(sent));
    }

    /** Sends a case's records on its route and remembers what became of each. */
    private void send(KafkaProducer<byte[], byte[]> producer, Sent s) throws Exception {
        switch (s.route) {
            case KAFKA -> {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (byte[] r : s.records) {
                    acks.add(producer.send(new ProducerRecord<>(Pipeline.EVENTS_TOPIC, HostileInput.utf8(s.visitor), r)));
                }
                for (Future<RecordMetadata> ack : acks) {
                    s.stored.add(ack.get(60, TimeUnit.SECONDS));
                }
            }
            case COLLECTOR -> {
                if (s.kind.bulk) {
                    // As a client would: batches of at most 400 events.
                    for (int from = 0; from < s.records.size(); from += 400) {
                        List<byte[]> batch = s.records.subList(from, Math.min(s.records.size(), from + 400));
                        CollectAnswer answer = post(array(batch), Map.of());
                        assertThat(answer.status()).as("%s: %s", s, answer.body()).isEqualTo(202);
                        Set<Integer> refused = answer.refused();
                        for (int i = 0; i < batch.size(); i++) {
                            s.answered(from + i, refused.contains(i), answer.reason(i));
                        }
                    }
                } else {
                    for (int i = 0; i < s.records.size(); i++) {
                        CollectAnswer answer = post(s.records.get(i), Map.of());
                        assertThat(answer.status()).as("%s: %s", s, answer.body()).isLessThan(500);
                        s.answered(i, answer.status() >= 400 || answer.refused().contains(0), answer.reason(0));
                    }
                }
            }
            case PIXEL -> {
                for (int i = 0; i < s.records.size(); i++) {
                    int status = pixel(s.records.get(i));
                    assertThat(status).as("%s", s).isLessThan(500);
                    s.answered(i, status >= 400, null);
                }
            }
        }
    }

    /**
     * {@code GET /collect/p.gif?<query>} with the query exactly as given, malformed escapes included
     * (which {@link URI} would refuse to carry); returns the status, waiting out a 429 as a browser would retry.
     */
    /** Status of a request the server refused by closing the connection before it was sent whole. */
    private static final int CLOSED_BY_SERVER = 499;

    private int pixel(byte[] query) throws Exception {
        URI api = URI.create(stack.apiUrl());
        for (int attempt = 0; ; attempt++) {
            try (java.net.Socket socket = new java.net.Socket(api.getHost(), api.getPort())) {
                socket.setSoTimeout(30_000);
                java.io.OutputStream out = socket.getOutputStream();
                boolean sent = true;
                try {
                    out.write(("GET /collect/p.gif?").getBytes(StandardCharsets.US_ASCII));
                    out.write(query);
                    out.write((" HTTP/1.1\r\nHost: " + api.getHost() + ":" + api.getPort() + "\r\nUser-Agent: drill\r\n"
                            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    sent = false; // the server answered (414/431) and closed while the request line was still coming
                }
                String statusLine;
                try {
                    statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                            StandardCharsets.ISO_8859_1)).readLine();
                } catch (IOException e) {
                    statusLine = null;
                }
                if (!sent && statusLine == null) {
                    return CLOSED_BY_SERVER;
                }
                assertThat(statusLine).as("status line of the pixel answer").isNotNull().startsWith("HTTP/1.1 ");
                int status = Integer.parseInt(statusLine.substring(9, 12));
                if (status != 429 || attempt >= 20) {
                    return status;
                }
                rateLimited.incrementAndGet();
            }
            Thread.sleep(1_000); // a client that honours the rate limit waits before it asks again: pacing
        }
    }

    /** One {@code POST /collect}: good events and small hostile events of many visitors in one batch. */
    private void postMixedBatch(List<byte[]> goodEvents, List<Sent> hostile) throws Exception {
        // Hostile events between the good ones, each slot remembering its case and record.
        record Slot(Sent sent, int record) {}
        List<Object> slots = new ArrayList<>(goodEvents.size());
        goodEvents.forEach(g -> slots.add(null));
        int n = 0;
        for (Sent s : hostile) {
            for (int r = 0; r < s.records.size(); r++) {
                slots.add((n++ * 7) % (slots.size() + 1), new Slot(s, r));
            }
        }
        List<byte[]> batch = new ArrayList<>();
        int nextGood = 0;
        for (Object slot : slots) {
            batch.add(slot == null ? goodEvents.get(nextGood++) : ((Slot) slot).sent().records.get(((Slot) slot).record()));
        }
        CollectAnswer answer = post(array(batch), Map.of());
        assertThat(answer.status()).as("mixed batch: %s", answer.body()).isEqualTo(202);
        Set<Integer> refused = answer.refused();
        for (int i = 0; i < batch.size(); i++) {
            if (slots.get(i) == null) {
                assertThat(refused).as("a good event refused by the collector: %s", answer.reason(i)).doesNotContain(i);
            } else {
                Slot slot = (Slot) slots.get(i);
                slot.sent().answered(slot.record(), refused.contains(i), answer.reason(i));
            }
        }
        assertThat(answer.body().path("failed").asInt()).as("events Kafka did not confirm").isZero();
    }

    private static byte[] array(List<byte[]> events) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < events.size(); i++) {
            json.append(i == 0 ? "" : ",").append(new String(events.get(i), StandardCharsets.UTF_8));
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private CollectAnswer post(byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/collect"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> r = withRateLimit(() -> fixture.http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        JsonNode json;
        try {
            json = StackFixture.JSON.readTree(r.body());
        } catch (IOException e) {
            json = StackFixture.JSON.createObjectNode().put("message", r.body());
        }
        return new CollectAnswer(r.statusCode(), json == null ? StackFixture.JSON.createObjectNode() : json);
    }

    private interface Call<T> {
        HttpResponse<T> call() throws Exception;
    }

    private final AtomicInteger rateLimited = new AtomicInteger();

    /** A well-behaved client: on 429 it waits as long as Retry-After says and sends again. */
    private <T> HttpResponse<T> withRateLimit(Call<T> call) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<T> r = call.call();
            if (r.statusCode() != 429 || attempt >= 20) {
                return r;
            }
            rateLimited.incrementAndGet();
            long wait = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
            Thread.sleep(Math.min(wait, 5) * 1000); // as Retry-After says: pacing, not a synchronisation
        }
    }

    /** Everything the pipeline produced, read back. */
    private final class Outcomes {
        final List<JsonNode> sessions;
        /** Dead letters of input records, by "partition@offset" of web-log. */
        final Map<String, JsonNode> deadLetters = new HashMap<>();
        final List<JsonNode> documentDeadLetters = new ArrayList<>();
        final List<JsonNode> late = new ArrayList<>();
        final Map<String, List<JsonNode>> sessionsByVisitor = new HashMap<>();
        /** Distinct late events of session windows and the guard, by visitor (page-catalogue duplicates left out). */
        final Map<String, Map<String, JsonNode>> lateByVisitor = new HashMap<>();
        final List<Sent> sent;
        final KnownTraffic good;

        Outcomes(KnownTraffic good, List<JsonNode> sessions, List<ConsumerRecord<byte[], byte[]>> dlq, List<ConsumerRecord<byte[], byte[]>> lateRecords,
                List<Sent> sent) throws IOException {
            this.good = good;
            this.sessions = sessions;
            this.sent = sent;
            for (JsonNode s : sessions) {
                sessionsByVisitor.computeIfAbsent(s.path("visitorId").asText(), k -> new ArrayList<>()).add(s);
            }
            for (ConsumerRecord<byte[], byte[]> r : dlq) {
                JsonNode d = StackFixture.JSON.readTree(r.value());
                if (d.hasNonNull("index")) {
                    documentDeadLetters.add(d);
                } else {
                    deadLetters.put(d.path("partition").asInt() + "@" + d.path("offset").asLong(), d);
                }
            }
            for (ConsumerRecord<byte[], byte[]> r : lateRecords) {
                JsonNode l = StackFixture.JSON.readTree(r.value());
                late.add(l);
                if (!l.path("reason").asText().contains("page catalogue")) {
                    lateByVisitor.computeIfAbsent(l.path("event").path("visitorId").asText(), k -> new LinkedHashMap<>())
                            .put(l.path("event").path("eventId").asText(), l);
                }
            }
        }

        Map<String, List<ObjectNode>> goodSessions(KnownTraffic good) {
            Map<String, List<ObjectNode>> actual = new TreeMap<>();
            sessionsByVisitor.forEach((visitor, docs) -> {
                if (good.owns(visitor)) {
                    List<ObjectNode> list = new ArrayList<>(docs.stream().map(KnownTraffic::comparable).toList());
                    list.sort(Comparator.comparing(d -> Instant.parse(d.path("start").asText())));
                    actual.put(visitor, list);
                }
            });
            return actual;
        }

        int counted(String visitor) {
            return sessionsByVisitor.getOrDefault(visitor, List.of()).stream().mapToInt(s -> s.path("eventCount").asInt()).sum()
                    + lateByVisitor.getOrDefault(visitor, Map.of()).size();
        }

        /** Events counted for every visitor id that starts with {@code prefix}. */
        int countedFrom(String prefix) {
            return visitorsFrom(prefix).stream().mapToInt(this::counted).sum();
        }

        Set<String> visitorsFrom(String prefix) {
            Set<String> visitors = new HashSet<>();
            sessionsByVisitor.keySet().stream().filter(v -> v.startsWith(prefix)).forEach(visitors::add);
            lateByVisitor.keySet().stream().filter(v -> v.startsWith(prefix)).forEach(visitors::add);
            return visitors;
        }

        /** Records of a Kafka-route case that are in the dead-letter topic. */
        int deadLettered(Sent s) {
            return (int) s.stored.stream().filter(m -> deadLetters.containsKey(m.partition() + "@" + m.offset())).count();
        }

        /** Events of the case the job must count (in sessions or the late topic). */
        int mustCount(Sent s) {
            int refused = s.route == Route.KAFKA ? deadLettered(s)
                    : (int) s.refusedByCollector.stream().filter(Boolean::booleanValue).count();
            return s.records.size() - refused - (refused == 0 ? s.kind.redelivered : 0);
        }

        /** What is not there yet; empty when everything is. */
        List<String> unaccounted(Map<String, List<ObjectNode>> expectedGood) {
            List<String> open = new ArrayList<>();
            int goodSessions = goodSessions(good).values().stream().mapToInt(List::size).sum();
            int expectedSessions = expectedGood.values().stream().mapToInt(List::size).sum();
            if (goodSessions != expectedSessions) {
                open.add("good sessions: " + goodSessions + " of " + expectedSessions);
            }
            // Settled: each record is dead-lettered or counted (under any visitor id the case's visitor starts, so that
            // an id changed on the way settles too and fails the exact checks afterwards instead of a timeout).
            for (Sent s : sent) {
                int must = mustCount(s);
                if (countedFrom(s.visitor) < must) {
                    open.add(s + ": " + countedFrom(s.visitor) + " of " + must + " events in sessions or late");
                }
            }
            return open;
        }

        String summary(List<Sent> all) {
            int refusedByCollector = 0;
            int collectorRecords = 0;
            for (Sent s : all) {
                if (s.route != Route.KAFKA) {
                    collectorRecords += s.records.size();
                    refusedByCollector += (int) s.refusedByCollector.stream().filter(Boolean::booleanValue).count();
                }
            }
            return String.format("collector: %d of %d hostile records refused (%d answers 429 waited out); Kafka: %d dead letters;"
                    + " %d late events; %d sessions of hostile visitors", refusedByCollector, collectorRecords, rateLimited.get(),
                    deadLetters.size(), late.size(), sessions.size() - goodSessions(good).values().stream().mapToInt(List::size).sum());
        }
    }

    private Outcomes outcomes(KnownTraffic good, List<Sent> sent) throws Exception {
        return new Outcomes(good, fixture.allSessions(), fixture.readAll(Pipeline.DEAD_LETTERS_TOPIC), fixture.readAll(Pipeline.LATE_EVENTS_TOPIC), sent);
    }

    /** Each record of a case ended where the case says, with a reason where it was refused. */
    private void verify(Sent s, Outcomes o) throws Exception {
        String visitor = s.jobVisitor();
        int counted = o.counted(visitor);
        if (s.route == Route.KAFKA) {
            for (int i = 0; i < s.records.size(); i++) {
                RecordMetadata m = s.stored.get(i);
                JsonNode d = o.deadLetters.get(m.partition() + "@" + m.offset());
                if (s.kind.outcome == Outcome.ACCEPTED) {
                    assertThat(d).as("%s record %d: accepted, yet dead-lettered", s, i).isNull();
                }
                if (s.kind.outcome == Outcome.REFUSED) {
                    assertThat(d).as("%s record %d: refused, but not in the dead-letter topic", s, i).isNotNull();
                }
                if (d != null) {
                    verifyDeadLetter(s, i, d);
                }
            }
        } else {
            for (int i = 0; i < s.records.size(); i++) {
                boolean refused = s.refusedByCollector.get(i);
                if (s.kind.outcome == Outcome.ACCEPTED) {
                    assertThat(refused).as("%s record %d: accepted by the contract, refused by the collector: %s", s, i,
                            s.collectorReasons.get(i)).isFalse();
                }
                if (s.kind.outcome == Outcome.REFUSED) {
                    assertThat(refused).as("%s record %d: refused by the contract, accepted by the collector", s, i).isTrue();
                    if (s.kind.reason != null && s.route == Route.COLLECTOR && s.collectorReasons.get(i) != null
                            && !s.kind.alone) {
                        assertThat(s.collectorReasons.get(i).toLowerCase()).as("%s: reason", s).contains(s.kind.reason);
                    }
                }
            }
        }
        int must = o.mustCount(s);
        assertThat(counted).as("%s: events in sessions or late under visitor id %s (sessions %s, late %s; visitor ids seen: %s)",
                s, escaped(visitor), o.sessionsByVisitor.get(visitor), o.lateByVisitor.getOrDefault(visitor, Map.of()).keySet(),
                o.visitorsFrom(s.visitor).stream().map(ResilienceDrillsIT::escaped).toList()).isEqualTo(must);
        o.lateByVisitor.getOrDefault(visitor, Map.of()).values().forEach(l ->
                assertThat(l.path("reason").asText()).as("%s: reason of a late event", s).isNotBlank());
        if (must > 0) {
            try {
                s.kind.check.accept(new Accounted(s.route, must, o.sessionsByVisitor.getOrDefault(visitor, List.of()),
                        new ArrayList<>(o.lateByVisitor.getOrDefault(visitor, Map.of()).values())));
            } catch (AssertionError e) {
                throw new AssertionError(s + ": " + e.getMessage(), e);
            }
        }
    }

    /** Non-ASCII characters as unicode escapes, for messages. */
    private static String escaped(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.toString();
    }

    /** A dead letter says why, where from, and keeps the record whole or as size, sha-256 and excerpt. */
    private static void verifyDeadLetter(Sent s, int i, JsonNode d) throws Exception {
        byte[] original = s.records.get(i) == null ? new byte[0] : s.records.get(i);
        String reason = d.path("reason").asText();
        assertThat(reason).as("%s record %d: reason", s, i).isNotBlank().hasSizeLessThanOrEqualTo(1024);
        if (s.kind.reason != null) {
            assertThat(reason.toLowerCase()).as("%s record %d: reason", s, i).contains(s.kind.reason);
        }
        assertThat(d.path("topic").asText()).isEqualTo(Pipeline.EVENTS_TOPIC);
        assertThat(d.path("size").asInt()).as("%s record %d: size", s, i).isEqualTo(original.length);
        assertThat(d.path("sha256").asText()).as("%s record %d: sha256", s, i)
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original)));
        if (original.length <= 64 * 1024) {
            assertThat(Base64.getDecoder().decode(d.path("value").asText())).as("%s record %d: value", s, i).isEqualTo(original);
        } else {
            assertThat(d.path("value").isNull() || d.path("value").isMissingNode()).as("%s: no whole value", s).isTrue();
            assertThat(d.path("excerpt").asText()).as("%s record %d: excerpt", s, i).isNotEmpty()
                    .isEqualTo(new String(original, 0, 2048, StandardCharsets.UTF_8));
        }
    }

    // ---------------------------------------------------------------- drill 2

    /**
     * Traffic flows through the collector (every visitor: sessions of three to five events, a
     * pause longer than the gap, again), the Elasticsearch node is killed, stays down 60 s, and is
     * started again by {@code up}, which starts every part that is not running. The job must neither
     * restart nor lose or double a session.
     */
    @Test
    @Order(2)
    void aSixtySecondElasticsearchOutageUnderLoadCostsNoRestartAndNoSession() throws Exception {
        long started = System.nanoTime();
        // Drill 1 proves the history empty; should it have failed on a restart, this drill still judges only its own.
        List<String> before = fixture.failureHistory(jobId);
        CollectorTraffic load = new CollectorTraffic("outage");
        try {
            // Load reaches Elasticsearch first.
            StackFixture.await(Duration.ofSeconds(90), () ->
                    fixture.allSessions().stream().filter(s -> load.traffic.owns(s.path("visitorId").asText())).count() >= 5 ? true : null);
            ChildProcess elasticsearch = fixture.part("elasticsearch");
            ProcessHandle node = elasticsearch.handle().orElseThrow();
            int postedAtKill = load.posted();
            elasticsearch.kill();
            node.onExit().get(30, TimeUnit.SECONDS);
            long killedAt = System.nanoTime();
            System.out.printf(LOG + "outage drill: Elasticsearch (pid %d) killed after %d events, %.1f s into the drill%n",
                    node.pid(), postedAtKill, (killedAt - started) / 1e9);
            // The outage itself: 60 s without Elasticsearch, the job watched all along.
            while (System.nanoTime() - killedAt < OUTAGE.toNanos()) {
                assertThat(fixture.failureHistory(jobId)).as("job failures during the outage").isEqualTo(before);
                load.assertFlowing();
                Thread.sleep(2_000); // how often the job is looked at during the outage, which lasts OUTAGE
            }
            int postedDuringOutage = load.posted() - postedAtKill;
            stack.up();
            fixture.rememberProcesses();
            System.out.printf(LOG + "outage drill: Elasticsearch up again after %.1f s down; %d events posted meanwhile%n",
                    (System.nanoTime() - killedAt) / 1e9, postedDuringOutage);
            // A little more traffic after the restart, then quiet so that every session closes.
            load.awaitMoreTicks(12);
        } finally {
            load.stop();
        }
        awaitExactSessions(load.traffic);
        assertThat(fixture.failureHistory(jobId)).as("job failures during the drill").isEqualTo(before);
        fixture.assertRunningWithoutRestarts(jobId);
        System.out.printf(LOG + "outage drill: passed in %.1f s: %d events, %d sessions exact, no restart%n",
                (System.nanoTime() - started) / 1e9, load.posted(), load.traffic.expectedSessionCount());
    }

    // ---------------------------------------------------------------- drill 3

    /** The cluster as the original's: every topic on all three brokers, a write needs two, nothing made by accident. */
    @Test
    @Order(3)
    void everyTopicIsOnAllThreeBrokersAndAWriteNeedsTwo() throws Exception {
        try (Admin admin = kafkaAdmin()) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).as("brokers").hasSize(BROKERS);
            Map<String, TopicDescription> topics = describeAllTopics(admin);
            List<String> stackTopics = List.of(Pipeline.EVENTS_TOPIC, Pipeline.DEAD_LETTERS_TOPIC, Pipeline.LATE_EVENTS_TOPIC);
            assertThat(topics).containsKeys(stackTopics.toArray(String[]::new)).containsKey("__consumer_offsets");
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).allSatisfy(p ->
                    assertThat(p.replicas()).as("replicas of %s-%d", topic.name(), p.partition()).hasSize(BROKERS)));
            List<ConfigResource> resources = new ArrayList<>(stackTopics.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            resources.add(broker);
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            stackTopics.forEach(name -> assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                    .get("min.insync.replicas").value()).as("min.insync.replicas of %s", name).isEqualTo("2"));
            Map<String, String> brokerConfig = new TreeMap<>();
            configs.get(broker).entries().forEach(e -> brokerConfig.put(e.name(), e.value()));
            assertThat(brokerConfig).containsAllEntriesOf(Map.of(
                    "auto.create.topics.enable", "false",
                    "num.partitions", "3",
                    "default.replication.factor", "3",
                    "min.insync.replicas", "2",
                    "offsets.topic.replication.factor", "3",
                    "transaction.state.log.replication.factor", "3",
                    "transaction.state.log.min.isr", "2",
                    "log.retention.hours", "168",
                    "process.roles", "broker,controller"));
        }
    }

    /**
     * Traffic flows through the collector while one of the three brokers, the active KRaft controller, is killed
     * (SIGKILL) and stays down until the quorum has fenced it: the collector keeps answering 202 (acks=all needs two
     * in-sync replicas of three), the job runs on without a restart and the sessions are exact. Started again as
     * {@code up} starts a part that is not running, the broker catches up: no partition stays under-replicated.
     */
    @Test
    @Order(4)
    void aKilledBrokerCostsNoAnswerNoRestartAndNoSessionAndCatchesUpWhenBack() throws Exception {
        long started = System.nanoTime();
        List<String> before = fixture.failureHistory(jobId);
        CollectorTraffic load = new CollectorTraffic("broker");
        try (Admin admin = kafkaAdmin()) {
            try {
                load.awaitMoreTicks(4);
                int controller = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
                ChildProcess broker = fixture.part("kafka-" + controller);
                ProcessHandle process = broker.handle().orElseThrow();
                int postedAtKill = load.posted();
                broker.kill();
                process.onExit().get(30, TimeUnit.SECONDS);
                long killedAt = System.nanoTime();
                System.out.printf(LOG + "broker drill: %s (pid %d, the active controller) killed after %d events, %.1f s into the drill%n",
                        broker.name(), process.pid(), postedAtKill, (killedAt - started) / 1e9);
                // Down until the quorum has fenced it (its partitions led by the other two), and a while longer.
                List<String> shrunk = StackFixture.await(Duration.ofSeconds(60), () -> {
                    load.assertFlowing();
                    List<String> underReplicated = underReplicated(admin);
                    return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size() == BROKERS - 1
                            && !underReplicated.isEmpty() ? underReplicated : null;
                });
                System.out.printf(LOG + "broker drill: fenced after %.1f s, %d partitions under-replicated%n",
                        (System.nanoTime() - killedAt) / 1e9, shrunk.size());
                load.awaitMoreTicks(6);
                assertThat(fixture.failureHistory(jobId)).as("job failures with a broker down").isEqualTo(before);

                stack.up();
                fixture.rememberProcesses();
                long restartedAt = System.nanoTime();
                AtomicReference<List<String>> stillBehind = new AtomicReference<>(List.of());
                StackFixture.await(Duration.ofSeconds(90), () -> {
                    stillBehind.set(underReplicated(admin));
                    return stillBehind.get().isEmpty() ? true : null;
                }, () -> "under-replicated: " + stillBehind.get());
                System.out.printf(LOG + "broker drill: %s caught up %.1f s after its restart (%.1f s after the kill); "
                        + "%d events posted meanwhile%n", broker.name(), (System.nanoTime() - restartedAt) / 1e9,
                        (System.nanoTime() - killedAt) / 1e9, load.posted() - postedAtKill);
                load.awaitMoreTicks(4);
            } finally {
                load.stop();
            }
        }
        awaitExactSessions(load.traffic);
        assertThat(fixture.failureHistory(jobId)).as("job failures during the drill").isEqualTo(before);
        fixture.assertRunningWithoutRestarts(jobId);
        System.out.printf(LOG + "broker drill: passed in %.1f s: %d events, %d sessions exact, every answer 202, no restart%n",
                (System.nanoTime() - started) / 1e9, load.posted(), load.traffic.expectedSessionCount());
    }

    private Admin kafkaAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()));
    }

    /** Every topic, internal ones too. */
    private static Map<String, TopicDescription> describeAllTopics(Admin admin) throws IOException {
        try {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
            return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // Kafka may not answer while it elects leaders: a poll that fails is tried again.
            throw new IOException("Kafka did not describe its topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** "topic-partition" of every partition with fewer in-sync replicas than replicas. */
    private static List<String> underReplicated(Admin admin) throws IOException {
        List<String> under = new ArrayList<>();
        describeAllTopics(admin).values().forEach(topic -> topic.partitions().stream()
                .filter(p -> p.isr().size() < p.replicas().size())
                .forEach(p -> under.add(topic.name() + "-" + p.partition())));
        return under;
    }

    // ---------------------------------------------------------------- traffic of drills 2 and 3

    /**
     * Known traffic posted through the collector every 500 ms from a thread of its own until {@link #stop}: each of
     * 24 visitors has sessions of three to five events, then a pause longer than the gap, again. Every answer must
     * be a 202 accepting every event; the first that is not ends the traffic, and the drill fails with it.
     */
    private final class CollectorTraffic {
        private static final int VISITORS = 24;
        final KnownTraffic traffic;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicInteger ticks = new AtomicInteger();
        private final AtomicInteger posted = new AtomicInteger();
        private final ExecutorService sender = Executors.newSingleThreadExecutor();
        private final Future<Void> sending;

        CollectorTraffic(String prefix) {
            traffic = new KnownTraffic(prefix + "-" + runId, GAP);
            sending = sender.submit(this::send);
        }

        private Void send() throws Exception {
            int[] seq = new int[VISITORS];
            while (!stopped.get()) {
                int tick = ticks.get();
                long t = System.currentTimeMillis();
                ArrayNode batch = StackFixture.JSON.createArrayNode();
                for (int v = 0; v < VISITORS; v++) {
                    // Visitor v is active for 3 + v % 3 ticks out of every 12, starting at its own phase.
                    int phase = (tick + v) % 12;
                    if (phase < 3 + v % 3) {
                        batch.add(traffic.event(v, seq[v]++, t));
                    }
                }
                if (!batch.isEmpty()) {
                    CollectAnswer answer = post(HostileInput.bytes(batch), Map.of());
                    assertThat(answer.status()).as("collector during the drill: %s", answer.body()).isEqualTo(202);
                    assertThat(answer.body().path("accepted").asInt()).isEqualTo(batch.size());
                    posted.addAndGet(batch.size());
                }
                ticks.incrementAndGet();
                Thread.sleep(500); // the pace of the traffic, not a synchronisation
            }
            return null;
        }

        int posted() {
            return posted.get();
        }

        /** Fails the drill at once when the traffic ended on an answer that was not a 202 accepting everything. */
        void assertFlowing() throws Exception {
            if (sending.isDone()) {
                stop();
                throw new AssertionError("the traffic stopped");
            }
        }

        /** Returns once {@code more} batches went out after this call. */
        void awaitMoreTicks(int more) throws Exception {
            int target = ticks.get() + more;
            StackFixture.await(Duration.ofSeconds(60), () -> {
                assertFlowing();
                return ticks.get() >= target ? true : null;
            });
        }

        /** Stops the traffic; throws what failed it, if anything did. */
        void stop() throws Exception {
            stopped.set(true);
            sender.shutdown();
            try {
                sending.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the traffic failed", e.getCause());
            }
        }
    }

    /** Waits until the sessions of {@code traffic} are exactly those expected, field by field, and none of its events was late. */
    private void awaitExactSessions(KnownTraffic traffic) throws Exception {
        Map<String, List<ObjectNode>> expected = traffic.expected();
        int expectedCount = traffic.expectedSessionCount();
        String[] lastSeen = {""};
        StackFixture.await(Duration.ofMinutes(3), Duration.ofSeconds(1), () -> {
            Map<String, List<ObjectNode>> actual = sessionsOf(traffic);
            lastSeen[0] = actual.values().stream().mapToInt(List::size).sum() + " of " + expectedCount + " sessions; "
                    + KnownTraffic.firstDifference(expected, actual);
            return actual.equals(expected) ? true : null;
        }, () -> lastSeen[0]);
        assertThat(sessionsOf(traffic)).isEqualTo(expected);
        List<String> lateVisitors = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : fixture.readAll(Pipeline.LATE_EVENTS_TOPIC)) {
            lateVisitors.add(StackFixture.JSON.readTree(r.value()).path("event").path("visitorId").asText());
        }
        assertThat(lateVisitors).as("late events of the drill's visitors").noneMatch(traffic::owns);
    }

    private Map<String, List<ObjectNode>> sessionsOf(KnownTraffic traffic) throws Exception {
        Map<String, List<ObjectNode>> actual = new TreeMap<>();
        for (JsonNode s : fixture.allSessions()) {
            if (traffic.owns(s.path("visitorId").asText())) {
                actual.computeIfAbsent(s.path("visitorId").asText(), k -> new ArrayList<>()).add(KnownTraffic.comparable(s));
            }
        }
        actual.values().forEach(l -> l.sort(Comparator.comparing(d -> Instant.parse(d.path("start").asText()))));
        return actual;
    }
}
