package io.webpipe.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.api.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;

/**
 * Fills the sessions alias with {@link SyntheticSessions} through {@code _bulk}, as the job's sink would (id =
 * sessionId, the document as Jackson writes it), with refresh off meanwhile. Two bulk requests are in flight
 * so that building the next batch overlaps indexing the last.
 */
final class SessionLoader {
    /** The job's writer: a plain mapper (the API's own leaves out what is for Elasticsearch only, such as visitorHash). */
    private static final ObjectMapper JOB_JSON = new ObjectMapper();
    private static final int BATCH = 5_000;
    private static final int IN_FLIGHT = 2;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final RestClient client;
    private final String alias;

    SessionLoader(RestClient client, String alias) {
        this.client = client;
        this.alias = alias;
    }

    long count() throws IOException {
        return json(client.performRequest(new Request("GET", "/" + alias + "/_count"))).path("count").asLong();
    }

    /** Loads sessions 0 to {@code total - 1} (an earlier, broken-off load is overwritten: the ids are the same); returns documents per second. */
    double load(SyntheticSessions sessions, long total) throws IOException, InterruptedException {
        String refreshInterval = refreshInterval();
        setRefreshInterval("-1");
        long started = System.nanoTime();
        try {
            bulkAll(sessions, total, started);
        } finally {
            setRefreshInterval(refreshInterval);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        client.performRequest(new Request("POST", "/" + alias + "/_refresh"));
        return total / seconds;
    }

    private void bulkAll(SyntheticSessions sessions, long total, long started) throws IOException, InterruptedException {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long lastProgress = started;
        for (long from = 0; from < total && failure.get() == null; from += BATCH) {
            StringBuilder body = new StringBuilder(BATCH * 1_200);
            for (long i = from; i < Math.min(total, from + BATCH); i++) {
                body.append("{\"index\":{\"_id\":\"").append(SyntheticSessions.id(i)).append("\"}}\n")
                        .append(JOB_JSON.writeValueAsString(sessions.session(i))).append('\n');
            }
            slots.acquire();
            Request request = new Request("POST", "/" + alias + "/_bulk");
            request.setEntity(new NByteArrayEntity(body.toString().getBytes(StandardCharsets.UTF_8),
                    ContentType.create("application/x-ndjson", "UTF-8")));
            client.performRequestAsync(request, new ResponseListener() {
                @Override
                public void onSuccess(Response response) {
                    try {
                        JsonNode answer = json(response);
                        if (answer.path("errors").asBoolean()) {
                            failure.compareAndSet(null, new IllegalStateException("bulk refused a document: " + firstError(answer)));
                        }
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                }

                @Override
                public void onFailure(Exception e) {
                    failure.compareAndSet(null, e);
                    slots.release();
                }
            });
            long now = System.nanoTime();
            if (now - lastProgress >= PROGRESS_EVERY_NANOS) {
                lastProgress = now;
                long sent = Math.min(total, from + BATCH);
                System.out.printf("  loaded %,d of %,d sessions (%,.0f/s)%n", sent, total, sent / ((now - started) / 1e9));
            }
        }
        slots.acquire(IN_FLIGHT);
        if (failure.get() != null) {
            throw new IllegalStateException("loading sessions failed", failure.get());
        }
    }

    private String refreshInterval() throws IOException {
        Request request = new Request("GET", "/" + alias + "/_settings/index.refresh_interval");
        request.addParameter("include_defaults", "true");
        JsonNode index = json(client.performRequest(request)).elements().next();
        JsonNode set = index.path("settings").path("index").path("refresh_interval");
        return set.isMissingNode() ? index.path("defaults").path("index").path("refresh_interval").asText() : set.asText();
    }

    private void setRefreshInterval(String interval) throws IOException {
        Request request = new Request("PUT", "/" + alias + "/_settings");
        request.setEntity(new NStringEntity("{\"index\":{\"refresh_interval\":" + Json.write(interval) + "}}", ContentType.APPLICATION_JSON));
        client.performRequest(request);
    }

    private static String firstError(JsonNode answer) {
        for (JsonNode item : answer.path("items")) {
            JsonNode error = item.path("index").path("error");
            if (!error.isMissingNode()) {
                return error.toString();
            }
        }
        return "(no item says which)";
    }

    private static JsonNode json(Response response) throws IOException {
        try (InputStream body = response.getEntity().getContent()) {
            return Json.MAPPER.readTree(body);
        }
    }
}
