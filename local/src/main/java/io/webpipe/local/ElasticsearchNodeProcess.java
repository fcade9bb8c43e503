package io.webpipe.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.http.HttpServerTransport;

import io.webpipe.local.nori.NoriAnalysisPlugin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The node side of {@link ElasticsearchNode}: one node of {@code elasticsearch-cluster-runner} in this JVM. */
@Command(name = "io.webpipe.local.ElasticsearchNode", synopsisHeading = "usage: java -cp <classpath> ",
        description = "A single Elasticsearch 7.10.2 node on 127.0.0.1; prints READY elasticsearch http://localhost:PORT "
                + "once the cluster is at least yellow.")
final class ElasticsearchNodeProcess implements Callable<Integer> {

    static final String CLUSTER_NAME = "webpipe-local";

    @Mixin
    ServerMain.Options options;
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9200", description = "HTTP port (0: a free one; default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--transport-port", paramLabel = "PORT", defaultValue = "0", description = "Transport port (default: a free one).")
    int transportPort;

    @Override
    public Integer call() {
        options.exitWhenParentDies();
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        try {
            int httpPort = Ports.orFree(port);
            int transport = Ports.orFree(transportPort);
            Path dataDir = options.dataDir();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(runner), "elasticsearch-shutdown"));

            // The HTTP port is set explicitly: the runner would otherwise derive it from a base port and silently
            // move to the next free one.
            runner.setMaxHttpPort(-1);
            runner.onBuild((number, settings) -> settings
                    .put("http.port", httpPort)
                    .put("transport.port", transport)
                    // HTTP and transport: Elasticsearch OSS has no authentication.
                    .put("network.host", ServerMain.BIND_ADDRESS)
                    // Never join another Elasticsearch on this machine.
                    .put("discovery.type", "single-node")
                    // The runner's default is master+data only; the job and the API may use ingest pipelines.
                    .putList("node.roles", "master", "data", "ingest")
                    .put("node.name", "webpipe-es")
                    // A full developer disk must not turn the indices read-only.
                    .put("cluster.routing.allocation.disk.threshold_enabled", false)
                    .put("bootstrap.memory_lock", false));
            // Elasticsearch configures log4j2 itself, from the log4j2.properties of the node's config directory (the
            // runner writes its own there unless one exists): ours goes there, so that it logs as Kafka does.
            ServerMain.writeLogConfig(dataDir.resolve("node_1").resolve("config").resolve("log4j2.properties"));
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
            options.signalReady("elasticsearch", "http://localhost:" + httpPort);
            while (!runner.isClosed()) {
                Thread.sleep(1000);
            }
            return 0;
        } catch (Exception e) {
            System.err.println("Elasticsearch node failed: " + e);
            e.printStackTrace();
            return ServerMain.FAILED;
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
