package io.webpipe.stack;

import io.webpipe.local.ChildLogging;
import io.webpipe.local.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The processes of the stack besides Flink's, and the command each starts with. */
final class StackParts {
    /** Kafka and Elasticsearch: the JVM flags their own tests use, from the local module's classpath. */
    private static final List<String> SERVER_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    private final List<ChildProcess> kafkaBrokers;
    final ChildProcess elasticsearch;
    final ChildProcess api;
    final ChildProcess demo;
    private final StackLayout layout;
    private final StackConfig config;
    private final ModuleJars jars;

    StackParts(StackLayout layout, StackConfig config, ModuleJars jars) {
        this.layout = layout;
        this.config = config;
        this.jars = jars;
        // Each part writes its own rolling log (LogPolicy); its console (<name>.out) gets what comes before logging starts.
        int brokers = config.kafkaBrokers();
        this.kafkaBrokers = IntStream.rangeClosed(1, brokers)
                .mapToObj(node -> detached(layout, brokers == 1 ? "kafka" : "kafka-" + node, true)).toList();
        this.elasticsearch = detached(layout, "elasticsearch", true);
        this.api = detached(layout, "api", true);
        this.demo = detached(layout, "demo", true);
    }

    static ChildProcess detached(StackLayout layout, String name, boolean writesOwnLog) {
        return ChildProcess.detached(name, layout.logDir(), layout.runDir(), writesOwnLog);
    }

    /** {@code kafka}, or {@code kafka-1} to {@code kafka-3}: each its own process, data directory and log. */
    List<ChildProcess> kafkaBrokers() {
        return kafkaBrokers;
    }

    /** Starts one broker: alone, or one node of the cluster, the nodes sharing the controller quorum and cluster id. */
    void startKafka(ChildProcess broker) {
        int node = kafkaBrokers.indexOf(broker) + 1;
        server(broker, "io.webpipe.local.KafkaBroker",
                "--port", Integer.toString(config.kafkaPorts().get(node - 1)),
                "--node-id", Integer.toString(node),
                "--controller-ports", config.kafkaControllerPorts().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--cluster-id-file", layout.dataDir("kafka-cluster.id").toString(),
                "--data", layout.dataDir(broker.name()).toString(), "--topics", config.topics());
    }

    /**
     * Stops every broker at once with {@code stop}: a broker stopped last, alone, would wait minutes for a controller
     * quorum to let it go.
     */
    void stopKafka(Consumer<ChildProcess> stop) throws InterruptedException {
        List<Thread> stopping = kafkaBrokers.stream()
                .map(broker -> new Thread(() -> stop.accept(broker), "stop-" + broker.name())).toList();
        stopping.forEach(Thread::start);
        for (Thread thread : stopping) {
            thread.join();
        }
    }

    void startElasticsearch() {
        server(elasticsearch, "io.webpipe.local.ElasticsearchNode", "--port", Integer.toString(config.elasticsearchPort()),
                "--data", layout.dataDir("elasticsearch").toString());
    }

    void startApi() {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--api.host", config.apiHost(),
                "--api.port", Integer.toString(config.apiPort()),
                "--elasticsearch.url", config.elasticsearchUrl(),
                "--kafka.bootstrap-servers", config.kafkaBootstrap()));
        // Its rolling api.log and access.log; its console (logs/api.out) gets only what comes before logging starts.
        args.addAll(config.logPolicy().apiArguments(layout.logDir()));
        api.start(ChildProcess.javaCommand(List.of("-Dwebpipe.log.console-level=off"), jars.classpath("api"),
                "io.webpipe.api.ApiServer", args));
    }

    void startDemo() {
        List<String> jvmOptions = new java.util.ArrayList<>(List.of(ChildLogging.JVM_OPTION));
        jvmOptions.addAll(config.logPolicy().jvmOptions(layout.logDir(), demo.name()));
        demo.start(ChildProcess.javaCommand(jvmOptions, jars.classpath("stack"), DemoTraffic.class.getName(), List.of(
                "--collector", config.apiUrl() + "/collect",
                "--visitors", Integer.toString(config.demoVisitors()),
                "--events-per-second", Integer.toString(config.demoEventsPerSecond()))));
    }

    /** Written by Kafka and Elasticsearch once they are usable. */
    Path readyFile(ChildProcess part) {
        return layout.runDir().resolve(part.name() + ".ready");
    }

    private void server(ChildProcess part, String mainClass, String... args) {
        try {
            Files.deleteIfExists(readyFile(part));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--ready-file", readyFile(part).toString()));
        List<String> jvmOptions = new java.util.ArrayList<>(SERVER_JVM_OPTIONS);
        jvmOptions.addAll(config.logPolicy().jvmOptions(layout.logDir(), part.name()));
        part.start(ChildProcess.javaCommand(jvmOptions, jars.classpath("local"), mainClass, all));
    }
}
