package io.webpipe.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running as its own JVM.
 *
 * <p>In a test: {@code KafkaBroker.start(tempDir, 0)}, or let {@link LocalInfra} share one per test JVM. From a
 * script, as a foreground process: {@code java -cp "$(cat local/target/classpath.txt)" io.webpipe.local.KafkaBroker
 * --port 9092 --data .webpipe/data/kafka --topics web-log:3,web-log-dlq:1,web-log-late:1}.
 */
public final class KafkaBroker implements AutoCloseable {

    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true", "-D" + ServerMain.LOG_CONFIG_PROPERTY + "="
                    + ServerMain.BUNDLED_LOG_CONFIG);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final ChildProcess process;
    private final String bootstrapServers;
    private final Admin admin;

    private KafkaBroker(ChildProcess process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Starts a broker storing its data in {@code dataDir} (kept across restarts), logging to {@code dataDir/log}. */
    public static KafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, dataDir.resolve("log"));
    }

    /**
     * Starts a broker on {@code port} (0: a free port) with its data in {@code dataDir} and its output in
     * {@code logDir/kafka.log}; returns once the broker answers admin requests.
     */
    public static KafkaBroker start(Path dataDir, int port, Path logDir) {
        int brokerPort = Ports.orFree(port);
        List<String> args = List.of("--port", Integer.toString(brokerPort),
                "--data", dataDir.toAbsolutePath().toString());
        ServerLauncher.Started started = ServerLauncher.start("kafka", KafkaBroker.class, JVM_OPTIONS, args, logDir,
                START_TIMEOUT);
        return new KafkaBroker(started.process(), started.address());
    }

    /** {@code localhost:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topic (replication factor 1) unless it exists, and waits until every partition has a leader. */
    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                    .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name + " on " + bootstrapServers, e.getCause());
            }
        } catch (InterruptedException | TimeoutException e) {
            throw interruptedOrTimedOut("creating topic " + name, e);
        }
        awaitLeaders(name);
    }

    private void awaitLeaders(String topic) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(topic);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topic " + topic, e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw interruptedOrTimedOut("describing topic " + topic, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + topic + " has partitions without a leader after "
                        + ADMIN_TIMEOUT.toSeconds() + " s");
            }
            sleep();
        }
    }

    /** The process id of the broker JVM. */
    public long pid() {
        return process.pid();
    }

    /** The broker JVM's output. */
    public Path logFile() {
        return process.logFile();
    }

    /** Stops the broker cleanly and waits for its JVM to exit; the data directory stays. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        process.stop(STOP_GRACE);
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers + ", pid " + pid() + "]";
    }

    /** Runs the broker in this JVM, in the foreground: {@code --help} lists the options. */
    public static void main(String[] args) {
        ServerMain.run(new KafkaBrokerProcess(), args);
    }

    private static RuntimeException interruptedOrTimedOut(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException("Gave up " + what + ": " + e, e);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
