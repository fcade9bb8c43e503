package io.webpipe.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Elasticsearch 7.10.2 node (one node, {@code discovery.type: single-node}, Korean analysis under the
 * official {@code analysis-nori} names) running as its own JVM.
 *
 * <p>In a test: {@code ElasticsearchNode.start(tempDir, 0)}, or let {@link LocalInfra} share one per test JVM.
 * From a script, as a foreground process: {@code java -cp "$(cat local/target/classpath.txt)"
 * io.webpipe.local.ElasticsearchNode --port 9200 --data .webpipe/data/es}.
 */
public final class ElasticsearchNode implements AutoCloseable {

    // No -ea: Elasticsearch 7.10 trips an assertion in its cgroup probe on these machines.
    static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-D" + ServerMain.LOG_CONFIG_PROPERTY + "="
                    + ServerMain.BUNDLED_LOG_CONFIG);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final ChildProcess process;
    private final String httpUrl;

    private ElasticsearchNode(ChildProcess process, String httpUrl) {
        this.process = process;
        this.httpUrl = httpUrl;
    }

    /** Starts a node storing its data in {@code dataDir} (kept across restarts), logging to {@code dataDir/log}. */
    public static ElasticsearchNode start(Path dataDir, int httpPort) {
        return start(dataDir, httpPort, dataDir.resolve("log"));
    }

    /**
     * Starts a node with HTTP on {@code httpPort} (0: a free port) and its data in {@code dataDir}, output in
     * {@code logDir/elasticsearch.log}; returns once the cluster health is at least yellow.
     */
    public static ElasticsearchNode start(Path dataDir, int httpPort, Path logDir) {
        int port = Ports.orFree(httpPort);
        List<String> args = List.of("--port", Integer.toString(port), "--data", dataDir.toAbsolutePath().toString());
        ServerLauncher.Started started = ServerLauncher.start("elasticsearch", ElasticsearchNode.class, JVM_OPTIONS, args,
                logDir, START_TIMEOUT);
        ElasticsearchNode node = new ElasticsearchNode(started.process(), started.address());
        try {
            node.checkHealthOverHttp();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** {@code http://localhost:PORT}. */
    public String httpUrl() {
        return httpUrl;
    }

    /** The HTTP port. */
    public int httpPort() {
        return URI.create(httpUrl).getPort();
    }

    /** The process id of the node's JVM. */
    public long pid() {
        return process.pid();
    }

    /** The node JVM's output. */
    public Path logFile() {
        return process.logFile();
    }

    /** Stops the node cleanly and waits for its JVM to exit; the data directory stays. */
    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }

    @Override
    public String toString() {
        return "ElasticsearchNode[" + httpUrl + ", pid " + pid() + "]";
    }

    /** Guards against answering from a different server than the child (the port was taken meanwhile). */
    private void checkHealthOverHttp() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + "/_cluster/health?wait_for_status=yellow&timeout=30s"))
                .timeout(Duration.ofSeconds(40)).GET().build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || !response.body().contains("\"cluster_name\":\"" + ElasticsearchNodeProcess.CLUSTER_NAME + "\"")) {
                throw new IllegalStateException("Elasticsearch at " + httpUrl + " is not healthy: HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Elasticsearch at " + httpUrl + " does not answer: " + e
                    + ". From " + logFile() + ":\n" + process.logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the node in this JVM, in the foreground: {@code --help} lists the options. */
    public static void main(String[] args) {
        ServerMain.run(new ElasticsearchNodeProcess(), args);
    }
}
