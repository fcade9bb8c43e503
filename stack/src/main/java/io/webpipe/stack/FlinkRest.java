package io.webpipe.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The calls ops make against the Flink REST API, exactly what the Web UI does: upload a jar,
 * run it (optionally from a savepoint), list jobs, stop a job with a savepoint.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** True when the JobManager's REST API answers. */
    public boolean answers() {
        try {
            get("/overview");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the REST API answers and at least one TaskManager has registered. */
    public boolean isReady() {
        try {
            JsonNode overview = get("/overview");
            return overview.path("taskmanagers").asInt() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** POST /jars/upload as multipart form data, like the Web UI's "Add New". Returns the jar id. */
    public String uploadJar(Path jar) throws IOException {
        HttpRequest request = MultipartFormData.ofFile("jarfile", jar, "application/x-java-archive")
                .postTo(HttpRequest.newBuilder(URI.create(baseUrl + "/jars/upload")))
                .build();
        String filename = send(request).path("filename").asText();
        return Path.of(filename).getFileName().toString();
    }

    /** GET /jars: the ids of the uploaded jars whose file was called {@code fileName}, newest first. */
    public List<String> uploadedJars(String fileName) throws IOException {
        List<JsonNode> files = new ArrayList<>();
        get("/jars").path("files").forEach(files::add);
        return files.stream()
                .filter(file -> file.path("name").asText().equals(fileName))
                .sorted(Comparator.comparingLong((JsonNode file) -> file.path("uploaded").asLong()).reversed())
                .map(file -> file.path("id").asText())
                .toList();
    }

    /** DELETE /jars/:id: the uploaded jar goes (jobs started from it keep running from their own copy). */
    public void deleteJar(String jarId) throws IOException {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/jars/" + jarId)).DELETE().build());
    }

    /** POST /jars/:id/run, restoring {@code savepointPath} unless null. Returns the job id. */
    public String runJar(String jarId, int parallelism, List<String> programArgs, String savepointPath) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("parallelism", parallelism);
        body.putPOJO("programArgsList", programArgs);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
        }
        return post("/jars/" + jarId + "/run", body).path("jobid").asText();
    }

    /** Job ids with their state (RUNNING, FINISHED, ...) and how many of their tasks run. */
    public List<JobStatus> jobs() throws IOException {
        List<JobStatus> jobs = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            JsonNode tasks = job.path("tasks");
            jobs.add(new JobStatus(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText(),
                    tasks.path("total").asInt(), tasks.path("running").asInt()));
        }
        return jobs;
    }

    /**
     * POST /jobs/:id/checkpoints: asks for a checkpoint now, of the configured kind (Flink 1.19+); does not wait
     * for it.
     */
    public void triggerCheckpoint(String jobId) throws IOException {
        post("/jobs/" + jobId + "/checkpoints", JSON.createObjectNode());
    }

    /**
     * True when the job is RUNNING and so is every task: restoring state happens while tasks are
     * still INITIALIZING, so this is when the job really processes records.
     */
    public boolean allTasksRunning(String jobId) throws IOException {
        return jobs().stream().anyMatch(job -> job.id().equals(jobId) && job.fullyRunning());
    }

    /** PATCH /jobs/:id?mode=cancel: stops a job without a savepoint. */
    public void cancel(String jobId) throws IOException {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /** POST /jobs/:id/stop and wait for the savepoint; returns its path. */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("drain", false);
        if (targetDirectory != null) {
            body.put("targetDirectory", targetDirectory);
        }
        String triggerId = post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + triggerId);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode op = status.path("operation");
                if (op.has("failure-cause")) {
                    throw new IOException("savepoint failed: " + op.path("failure-cause").path("stack-trace").asText());
                }
                return op.path("location").asText();
            }
            Thread.sleep(500);
        }
        throw new IOException("savepoint of job " + jobId + " did not complete within " + timeout);
    }

    public JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build());
    }

    private JsonNode post(String path, JsonNode body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }

    private JsonNode send(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IOException(request.method() + " " + request.uri() + " -> " + response.statusCode()
                        + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** One row of /jobs/overview. */
    public record JobStatus(String id, String name, String state, int tasks, int tasksRunning) {
        private static final Set<String> TERMINAL_STATES = Set.of("FINISHED", "CANCELED", "FAILED");

        /** The job runs and so does every task of it (none still deploying or restoring state). */
        public boolean fullyRunning() {
            return state.equals("RUNNING") && tasks > 0 && tasksRunning == tasks;
        }

        /** FINISHED, CANCELED or FAILED: it will not run again. */
        public boolean ended() {
            return TERMINAL_STATES.contains(state);
        }
    }
}
