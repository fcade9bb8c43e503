package io.webpipe.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The broker side of {@link KafkaBroker}, and one node of a cluster on this machine: formats the storage once, then
 * runs {@code kafka.Kafka} in this JVM.
 */
@Command(name = "io.webpipe.local.KafkaBroker", synopsisHeading = "usage: java -cp <classpath> ",
        description = "A Kafka broker (KRaft, broker and controller in one) on 127.0.0.1, alone or one node of a cluster; "
                + "prints READY kafka localhost:PORT once every node is up and the topics exist.")
final class KafkaBrokerProcess implements Callable<Integer> {

    private static final long ADMIN_TIMEOUT_SECONDS = 60;

    @Mixin
    ServerMain.Options options;
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092", description = "Client port (0: a free one; default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--node-id", paramLabel = "N", defaultValue = "1",
            description = "This node's number in the cluster, 1 to the number of --controller-ports (default ${DEFAULT-VALUE}).")
    int nodeId;
    @Option(names = "--controller-ports", paramLabel = "PORT", split = ",", defaultValue = "0",
            description = "KRaft controller port of every node of the cluster, node 1's first; together they are the "
                    + "controller quorum. Default: a single node, on a free port.")
    List<Integer> controllerPorts;
    @Option(names = "--cluster-id-file", paramLabel = "FILE",
            description = "The cluster's id, shared by its nodes: created by the first one to start. Required for more "
                    + "than one node; without it, a single node makes up its own.")
    Path clusterIdFile;
    @Option(names = "--topics", paramLabel = "NAME:PARTITIONS", split = ",", converter = TopicConverter.class,
            description = "Topics to create if missing (partitions default to 1), replicated on up to three nodes.")
    List<Topic> topics = List.of();

    /** A topic to create: name and number of partitions. */
    record Topic(String name, int partitions) {}

    @Override
    public Integer call() {
        options.exitWhenParentDies();
        try {
            int brokerPort = Ports.orFree(port);
            List<Integer> controllers = controllerPorts.size() == 1 ? List.of(Ports.orFree(controllerPorts.get(0)))
                    : clusterControllerPorts();
            Path dataDir = options.dataDir();
            Path config = writeConfig(dataDir, KafkaNodeConfig.of(nodeId, brokerPort, controllers, storage(dataDir)));
            formatStorageOnFirstStart(dataDir, config);

            String bootstrapServers = "localhost:" + brokerPort;
            Thread setup = new Thread(() -> createTopicsThenSignalReady(bootstrapServers, controllers.size()), "topic-setup");
            setup.setDaemon(true);
            setup.start();
            kafka.Kafka.main(new String[] {config.toString()});
            return 0;
        } catch (RuntimeException | IOException e) {
            System.err.println("Kafka broker failed to start: " + e);
            e.printStackTrace();
            return ServerMain.FAILED;
        }
    }

    /** Every node must know every other's controller port before any starts, and share the cluster id. */
    private List<Integer> clusterControllerPorts() {
        if (controllerPorts.contains(0)) {
            throw new IllegalArgumentException("--controller-ports of a cluster must all be given: " + controllerPorts);
        }
        if (clusterIdFile == null) {
            throw new IllegalArgumentException("A cluster of " + controllerPorts.size() + " nodes needs --cluster-id-file");
        }
        return controllerPorts;
    }

    /** {@code name} or {@code name:partitions}. */
    static final class TopicConverter implements CommandLine.ITypeConverter<Topic> {
        @Override
        public Topic convert(String item) {
            String[] parts = item.trim().split(":");
            try {
                return new Topic(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected name:partitions, got '" + item + "'");
            }
        }
    }

    private static Path storage(Path dataDir) {
        return dataDir.resolve("storage");
    }

    private static Path writeConfig(Path dataDir, Map<String, String> config) throws IOException {
        Files.createDirectories(dataDir);
        StringBuilder text = new StringBuilder("# Written by io.webpipe.local.KafkaBroker on each start.\n");
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private void formatStorageOnFirstStart(Path dataDir, Path config) throws IOException {
        if (Files.exists(storage(dataDir).resolve("meta.properties"))) {
            return;
        }
        String clusterId = clusterIdFile != null ? KafkaClusterId.readOrCreate(clusterIdFile) : Uuid.randomUuid().toString();
        int exitCode = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
                System.out);
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting the Kafka storage in " + dataDir + " failed (exit " + exitCode + ")");
        }
    }

    /** Once every node of the cluster is up, creates the missing topics (any node may be first), then says ready. */
    private void createTopicsThenSignalReady(String bootstrapServers, int nodes) {
        KafkaReplication replication = KafkaReplication.of(nodes);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            // Brokers that are registered and caught up with the metadata: a topic needs as many as its replicas.
            while (admin.describeCluster().nodes().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).size() < nodes) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Fewer than " + nodes + " brokers in the cluster after 2 minutes");
                }
                Thread.sleep(200);
            }
            Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> new NewTopic(topic.name(), topic.partitions(), replication.factor()).configs(Map.of(
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replication.minInSync()))))
                    .toList();
            for (NewTopic topic : missing) {
                createUnlessAnotherNodeDid(admin, topic);
            }
            options.signalReady("kafka", bootstrapServers);
        } catch (Exception e) {
            System.err.println("Kafka broker did not become usable: " + e);
            e.printStackTrace();
            System.exit(ServerMain.FAILED);
        }
    }

    private static void createUnlessAnotherNodeDid(Admin admin, NewTopic topic) throws Exception {
        try {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            System.out.println("Created topic " + topic.name() + " (" + topic.numPartitions() + " partitions, replication factor "
                    + topic.replicationFactor() + ", " + topic.configs() + ")");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
