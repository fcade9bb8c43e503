package io.webpipe.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.http.HttpServerTransport;

import io.webpipe.local.nori.NoriAnalysisPlugin;

/** The node side of {@link ElasticsearchNode}: one node of {@code elasticsearch-cluster-runner} in this JVM. */
final class ElasticsearchNodeProcess {

    static final String CLUSTER_NAME = "webpipe-local";
    private static final Set<String> OPTIONS = Set.of("port", "transport-port", "data", "parent-pid", "ready-file");

    private ElasticsearchNodeProcess() {}

    static void run(String[] args) {
        CommandLine options = CommandLine.parseOrExit(args, OPTIONS,
                "java -cp <classpath> io.webpipe.local.ElasticsearchNode --data DIR [--port 9200] [--transport-port PORT]");
        ChildProcessSupport.exitWhenParentDies(options.get("parent-pid"));
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        try {
            int httpPort = options.port("port", 9200);
            int transportPort = options.port("transport-port", Ports.free());
            Path dataDir = options.path("data");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(runner), "elasticsearch-shutdown"));

            // The HTTP port is set explicitly: the runner would otherwise derive it from a base port and silently
            // move to the next free one.
            runner.setMaxHttpPort(-1);
            runner.onBuild((number, settings) -> settings
                    .put("http.port", httpPort)
                    .put("transport.port", transportPort)
                    // HTTP and transport: Elasticsearch OSS has no authentication.
                    .put("network.host", ChildProcessSupport.BIND_ADDRESS)
                    // Never join another Elasticsearch on this machine.
                    .put("discovery.type", "single-node")
                    // The runner's default is master+data only; the job and the API may use ingest pipelines.
                    .putList("node.roles", "master", "data", "ingest")
                    .put("node.name", "webpipe-es")
                    // A full developer disk must not turn the indices read-only.
                    .put("cluster.routing.allocation.disk.threshold_enabled", false)
                    .put("bootstrap.memory_lock", false));
            runner.build(ElasticsearchClusterRunner.newConfigs()
                    .numOfNode(1)
                    .baseHttpPort(httpPort - 1) // node 1 listens on base + 1; keeps the runner's own log line right
                    .basePath(dataDir.toString())
                    .clusterName(CLUSTER_NAME)
                    .pluginTypes(NoriAnalysisPlugin.class.getName()));
            runner.ensureYellow();

            int boundPort = runner.node().injector().getInstance(HttpServerTransport.class).boundAddress()
                    .publishAddress().getPort();
            if (boundPort != httpPort) {
                throw new IllegalStateException("Elasticsearch bound HTTP port " + boundPort + " instead of " + httpPort);
            }
            ChildProcessSupport.signalReady("elasticsearch", "http://localhost:" + httpPort, options.get("ready-file"));
            while (!runner.isClosed()) {
                Thread.sleep(1000);
            }
        } catch (Exception e) {
            System.err.println("Elasticsearch node failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void closeQuietly(ElasticsearchClusterRunner runner) {
        try {
            runner.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("Closing Elasticsearch: " + e);
        }
    }
}
