package io.webpipe.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The broker side of {@link KafkaBroker}: formats the storage once, then runs {@code kafka.Kafka} in this JVM. */
@Command(name = "io.webpipe.local.KafkaBroker", synopsisHeading = "usage: java -cp <classpath> ",
        description = "A single-node Kafka broker (KRaft) on 127.0.0.1; prints READY kafka localhost:PORT once usable.")
final class KafkaBrokerProcess implements Callable<Integer> {

    @Mixin
    ServerMain.Options options;
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092", description = "Client port (0: a free one; default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "0", description = "KRaft controller port (default: a free one).")
    int controllerPort;
    @Option(names = "--topics", paramLabel = "NAME:PARTITIONS", split = ",", converter = TopicConverter.class,
            description = "Topics to create if missing (partitions default to 1).")
    List<NewTopic> topics = List.of();

    @Override
    public Integer call() {
        options.exitWhenParentDies();
        try {
            int brokerPort = Ports.orFree(port);
            Path dataDir = options.dataDir();
            Path config = writeConfig(dataDir, brokerPort, Ports.orFree(controllerPort));
            formatStorageOnFirstStart(dataDir, config);

            String bootstrapServers = "localhost:" + brokerPort;
            Thread setup = new Thread(() -> createTopicsThenSignalReady(bootstrapServers), "topic-setup");
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

    /** {@code name} or {@code name:partitions}, replication factor 1. */
    static final class TopicConverter implements CommandLine.ITypeConverter<NewTopic> {
        @Override
        public NewTopic convert(String item) {
            String[] parts = item.trim().split(":");
            try {
                return new NewTopic(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 1, (short) 1);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected name:partitions, got '" + item + "'");
            }
        }
    }

    private static Path writeConfig(Path dataDir, int port, int controllerPort) throws IOException {
        Files.createDirectories(dataDir);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        String host = ServerMain.BIND_ADDRESS;
        config.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", dataDir.resolve("storage").toString());
        // Topics are created explicitly (the stack script, the tests), never by a typo in a producer.
        config.put("auto.create.topics.enable", "false");
        config.put("num.partitions", "1");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "5");
        // Flink's exactly-once Kafka sink asks for 1 h transactions; the broker default caps them at 15 min.
        config.put("transaction.max.timeout.ms", "3600000");
        // One member per group in tests and locally: no reason to wait for more to join.
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("log.retention.hours", "168");

        StringBuilder text = new StringBuilder("# Written by io.webpipe.local.KafkaBroker on each start.\n");
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static void formatStorageOnFirstStart(Path dataDir, Path config) {
        if (Files.exists(dataDir.resolve("storage").resolve("meta.properties"))) {
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        int exitCode = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
                System.out);
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting the Kafka storage in " + dataDir + " failed (exit " + exitCode + ")");
        }
    }

    private void createTopicsThenSignalReady(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.describeCluster().nodes().get(2, TimeUnit.MINUTES);
            Set<String> existing = admin.listTopics().names().get(1, TimeUnit.MINUTES);
            List<NewTopic> missing = topics.stream().filter(topic -> !existing.contains(topic.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(1, TimeUnit.MINUTES);
                System.out.println("Created topics " + missing.stream()
                        .map(topic -> topic.name() + " (" + topic.numPartitions() + " partitions)").toList());
            }
            options.signalReady("kafka", bootstrapServers);
        } catch (Exception e) {
            System.err.println("Kafka broker did not become usable: " + e);
            e.printStackTrace();
            System.exit(ServerMain.FAILED);
        }
    }
}
