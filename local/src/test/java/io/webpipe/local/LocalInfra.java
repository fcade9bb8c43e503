package io.webpipe.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that gives tests a real {@link KafkaBroker} and a real {@link ElasticsearchNode}: declare a
 * test, lifecycle-method or constructor parameter of either type in a class annotated with
 * {@code @ExtendWith(LocalInfra.class)}.
 *
 * <p>Both start once per test JVM, in parallel, on the first request for either, and are shared by all test
 * classes until the test run ends. Tests stay independent by using their own uniquely named topics and indices.
 * Data lives in a temporary directory (deleted at the end); the servers' logs stay in
 * {@code target/local-infra/} (or the temp directory when there is no {@code target/}).
 */
public final class LocalInfra implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalInfra.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaBroker.class || type == ElasticsearchNode.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Servers servers = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Servers.class, key -> Servers.start(),
                Servers.class);
        Class<?> type = parameter.getParameter().getType();
        try {
            return type == KafkaBroker.class ? servers.kafka.join() : servers.elasticsearch.join();
        } catch (CompletionException e) {
            throw new ParameterResolutionException("Could not start the local " + type.getSimpleName() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The shared pair, closed by JUnit when the root context closes (the end of the test run). */
    private static final class Servers implements ExtensionContext.Store.CloseableResource {

        private static final Logger LOG = LoggerFactory.getLogger(LocalInfra.class);

        private final Path dataDir;
        private final CompletableFuture<KafkaBroker> kafka;
        private final CompletableFuture<ElasticsearchNode> elasticsearch;

        private Servers(Path dataDir, Path logDir) {
            this.dataDir = dataDir;
            this.kafka = startTimed("Kafka broker", () -> KafkaBroker.start(dataDir.resolve("kafka"), 0, logDir),
                    KafkaBroker::bootstrapServers);
            this.elasticsearch = startTimed("Elasticsearch node",
                    () -> ElasticsearchNode.start(dataDir.resolve("elasticsearch"), 0, logDir), ElasticsearchNode::httpUrl);
        }

        static Servers start() {
            try {
                Path logDir = logBaseDir().resolve("run-" + ProcessHandle.current().pid());
                return new Servers(Files.createTempDirectory("webpipe-local-"), logDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path logBaseDir() throws IOException {
            Path target = Path.of("target");
            Path base = Files.isDirectory(target) ? target.resolve("local-infra")
                    : Path.of(System.getProperty("java.io.tmpdir"), "webpipe-local-logs");
            return Files.createDirectories(base).toAbsolutePath();
        }

        private static <T> CompletableFuture<T> startTimed(String name, Supplier<T> start,
                Function<T, String> address) {
            return CompletableFuture.supplyAsync(() -> {
                long begin = System.nanoTime();
                T server = start.get();
                LOG.info("{} {} ready in {} ms", name, address.apply(server),
                        Duration.ofNanos(System.nanoTime() - begin).toMillis());
                return server;
            }, task -> {
                // Own threads: the common pool may have a single worker on a 2-core machine.
                Thread thread = new Thread(task, "start-" + name.replace(' ', '-'));
                thread.setDaemon(true);
                thread.start();
            });
        }

        @Override
        public void close() throws InterruptedException {
            Thread stopElasticsearch = new Thread(() -> closeQuietly(elasticsearch), "stop-elasticsearch");
            stopElasticsearch.start();
            closeQuietly(kafka);
            stopElasticsearch.join();
            deleteRecursively(dataDir);
        }

        private static void closeQuietly(CompletableFuture<? extends AutoCloseable> server) {
            try {
                server.join().close();
            } catch (Exception e) {
                // A server that never started has nothing to close; its failure was reported to the tests.
            }
        }

        private static void deleteRecursively(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                LOG.warn("Could not delete {}: {}", dir, e.toString());
            }
        }
    }
}
