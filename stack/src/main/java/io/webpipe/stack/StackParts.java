package io.webpipe.stack;

import io.webpipe.local.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The processes of the stack besides Flink's, and the command each starts with. */
final class StackParts {
    /** Kafka and Elasticsearch: the JVM flags their own tests use, from the local module's classpath. */
    private static final List<String> SERVER_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    final ChildProcess kafka;
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
        this.kafka = detached(layout, "kafka");
        this.elasticsearch = detached(layout, "elasticsearch");
        this.api = detached(layout, "api");
        this.demo = detached(layout, "demo");
    }

    static ChildProcess detached(StackLayout layout, String name) {
        return ChildProcess.detached(name, layout.logDir(), layout.runDir(), false);
    }

    void startKafka() {
        server(kafka, "io.webpipe.local.KafkaBroker", "--port", Integer.toString(config.kafkaPort()),
                "--data", layout.dataDir("kafka").toString(), "--topics", config.topics());
    }

    void startElasticsearch() {
        server(elasticsearch, "io.webpipe.local.ElasticsearchNode", "--port", Integer.toString(config.elasticsearchPort()),
                "--data", layout.dataDir("elasticsearch").toString());
    }

    void startApi() {
        api.start(ChildProcess.javaCommand(List.of(), jars.classpath("api"), "io.webpipe.api.ApiServer", List.of(
                "--api.host", config.apiHost(),
                "--api.port", Integer.toString(config.apiPort()),
                "--elasticsearch.url", config.elasticsearchUrl(),
                "--kafka.bootstrap-servers", config.kafkaBootstrap(),
                // Its rolling api.log and access.log; the console output goes to logs/api.log.
                "--log.dir", layout.logDir().resolve("api").toString())));
    }

    void startDemo() {
        demo.start(ChildProcess.javaCommand(List.of(), jars.classpath("stack"), DemoTraffic.class.getName(), List.of(
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
        part.start(ChildProcess.javaCommand(SERVER_JVM_OPTIONS, jars.classpath("local"), mainClass, all));
    }
}
