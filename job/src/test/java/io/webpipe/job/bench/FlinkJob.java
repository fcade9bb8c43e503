package io.webpipe.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.schema.Pipeline;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The stack's job ({@link Pipeline#JOB_NAME}) and its TaskManager, as Flink's REST API reports them. */
final class FlinkJob {
    private final JsonHttp http;
    private final String rest;
    private final String id;

    private FlinkJob(JsonHttp http, String rest, String id) {
        this.http = http;
        this.rest = rest;
        this.id = id;
    }

    /** The job of that name that is not finished, cancelled or failed. */
    static FlinkJob find(JsonHttp http, String rest) throws IOException {
        for (JsonNode job : http.get(rest + "/jobs/overview").path("jobs")) {
            if (job.path("name").asText().equals(Pipeline.JOB_NAME)
                    && !List.of("FINISHED", "CANCELED", "FAILED").contains(job.path("state").asText())) {
                return new FlinkJob(http, rest, job.path("jid").asText());
            }
        }
        throw new IOException("no live job '" + Pipeline.JOB_NAME + "' at " + rest);
    }

    String id() {
        return id;
    }

    JsonNode details() throws IOException {
        return http.get(rest + "/jobs/" + id);
    }

    /** The job is RUNNING and so is every subtask of every vertex. */
    static boolean allTasksRunning(JsonNode details) {
        if (!details.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode vertex : details.path("vertices")) {
            if (vertex.path("tasks").path("RUNNING").asInt() != vertex.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }

    /** Restarts so far: Flink's {@code numRestarts} (the REST API's metric values lag by up to its fetch interval). */
    long restarts() throws IOException {
        for (JsonNode metric : http.get(rest + "/jobs/" + id + "/metrics?get=numRestarts")) {
            return metric.path("value").asLong();
        }
        throw new IOException("job " + id + " reports no numRestarts yet");
    }

    /** The newest completed checkpoint, with its sizes per operator. */
    Optional<CheckpointSizes> latestCheckpoint() throws IOException {
        JsonNode completed = http.get(rest + "/jobs/" + id + "/checkpoints").path("latest").path("completed");
        if (completed.isMissingNode() || completed.isNull()) {
            return Optional.empty();
        }
        return Optional.of(CheckpointSizes.parse(
                http.get(rest + "/jobs/" + id + "/checkpoints/details/" + completed.path("id").asLong()), details()));
    }

    /** The ids of the TaskManagers registered now. */
    Set<String> taskManagers() throws IOException {
        Set<String> ids = new HashSet<>();
        http.get(rest + "/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    /** {@code names} of the (only) TaskManager's metrics that it reports, with their values. */
    Map<String, String> taskManagerMetrics(List<String> names) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode tm : http.get(rest + "/taskmanagers").path("taskmanagers")) {
            for (JsonNode metric : http.get(rest + "/taskmanagers/" + tm.path("id").asText() + "/metrics?get=" + String.join(",", names))) {
                values.put(metric.path("id").asText(), metric.path("value").asText());
            }
        }
        return values;
    }
}
