package io.webpipe.job.bench;

import io.webpipe.job.JobConfig;
import io.webpipe.job.SessionJob;
import io.webpipe.job.e2e.TrafficGenerator;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.Indices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Throughput benchmark (not a test): pre-fills {@code web-log} on a real local broker with N
 * generated events, measures a baseline (a plain Kafka consumer that reads and decodes the same
 * records) and then the whole job over them into a real Elasticsearch node, and prints events/s,
 * sessions/s and job/baseline.
 *
 * <p>System properties: {@code bench.events} (default 1,000,000), {@code bench.parallelism}
 * (default 2), {@code bench.state-backend} ({@code hashmap} or {@code rocksdb}, default hashmap),
 * {@code bench.flink-options} (more Flink configuration, {@code key=value,key=value}).
 */
public final class SessionBench {
    private static final String TOPIC = "web-log";
    private static final double EVENTS_PER_VISITOR = 36.5;

    private SessionBench() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 1_000_000);
        int parallelism = Integer.getInteger("bench.parallelism", 2);
        String stateBackend = System.getProperty("bench.state-backend", "hashmap");
        String flinkOptions = System.getProperty("bench.flink-options", "");
        Path dir = Files.createTempDirectory("webpipe-bench-");
        say("benchmark: %,d events, parallelism %d, state backend %s %s, data in %s", events, parallelism, stateBackend,
                flinkOptions, dir);

        long t = System.nanoTime();
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0, dir.resolve("logs"));
                ElasticsearchNode es = ElasticsearchNode.start(dir.resolve("es"), 0, dir.resolve("logs"))) {
            say("Kafka %s and Elasticsearch %s up in %.1f s", kafka.bootstrapServers(), es.httpUrl(), seconds(t));
            kafka.createTopic(TOPIC, 3);
            kafka.createTopic(TOPIC + "-dlq", 1);
            kafka.createTopic(TOPIC + "-late", 1);

            t = System.nanoTime();
            TrafficGenerator.Traffic traffic = new TrafficGenerator(1, true).generate((int) Math.ceil(events / EVENTS_PER_VISITOR));
            int records = traffic.records.size();
            say("generated %,d events (%,d records with duplicates and malformed ones), %,d visitors, %,d sessions in %.1f s",
                    traffic.events, records, traffic.visitors, traffic.expected.size(), seconds(t));
            produce(kafka, traffic);
            int sessions = traffic.expected.size();
            traffic = null; // the job run should not compete with the generated data for memory

            t = System.nanoTime();
            long accepted = baseline(kafka, records);
            double baselineSeconds = seconds(t);
            double baselineRate = records / baselineSeconds;
            say("baseline (KafkaConsumer + EventContract.decode): %,d records (%,d valid events) in %.1f s = %,.0f records/s",
                    records, accepted, baselineSeconds, baselineRate);

            JobConfig config = JobConfig.load(Map.of(),
                    "--kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "--kafka.stop-at-latest", "true",
                    "--elasticsearch.url", es.httpUrl(),
                    "--parallelism", Integer.toString(parallelism));
            try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
                IndexLifecycle lifecycle = new IndexLifecycle(client, message -> { });
                lifecycle.ensure(Indices.SESSIONS);
                lifecycle.ensure(Indices.PAGES);
                Configuration flink = new Configuration();
                flink.set(StateBackendOptions.STATE_BACKEND, stateBackend);
                flink.setString("execution.checkpointing.incremental", "true");
                flink.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
                for (String option : flinkOptions.split(",")) {
                    if (!option.isBlank()) {
                        flink.setString(option.substring(0, option.indexOf('=')).trim(), option.substring(option.indexOf('=') + 1).trim());
                    }
                }
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
                SessionJob.build(env, config);

                t = System.nanoTime();
                JobClient job = env.executeAsync("webpipe sessions benchmark");
                CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
                while (job.getJobStatus().get() != JobStatus.RUNNING && !result.isDone()) {
                    Thread.sleep(50);
                }
                long running = System.nanoTime();
                say("job RUNNING after %.1f s", seconds(t));
                while (!waitFor(result, Duration.ofSeconds(5))) {
                    say("  %5.0f s: %,d of %,d records read (committed on checkpoints), %,d sessions in Elasticsearch",
                            seconds(t), committed(kafka, config.groupId), records, count(client));
                }
                result.get();
                double jobSeconds = seconds(t);
                double runningSeconds = seconds(running);
                long written = count(client);
                double rate = records / runningSeconds;
                say("job: %,d records -> %,d sessions in %.1f s from submission, %.1f s from RUNNING", records, written,
                        jobSeconds, runningSeconds);
                say("RESULT events/s %,.0f (%,.0f including job start-up) | sessions/s %,.0f | baseline records/s %,.0f | job/baseline %.2f",
                        rate, records / jobSeconds, written / runningSeconds, baselineRate, rate / baselineRate);
                if (written != sessions) {
                    say("WARNING: expected %,d sessions, Elasticsearch holds %,d", sessions, written);
                }
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void produce(KafkaBroker kafka, TrafficGenerator.Traffic traffic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        long t = System.nanoTime();
        int n = traffic.records.size();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                TrafficGenerator.Record r = traffic.records.get(i);
                producer.send(new ProducerRecord<>(TOPIC, r.key, r.value));
                if ((i + 1) % (n / 10 + 1) == 0) {
                    say("  produced %,d of %,d", i + 1, n);
                }
            }
            producer.flush();
        }
        say("pre-filled %s with %,d records in %.1f s", TOPIC, n, seconds(t));
    }

    /** What a consumer does at the least: read every record and decode it; returns the number of valid events. */
    private static long baseline(KafkaBroker kafka, int records) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-baseline");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long seen = 0;
        long accepted = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(java.util.List.of(TOPIC));
            while (seen < records) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                    if (EventContract.decode(r.value()).isAccepted()) {
                        accepted++;
                    }
                }
            }
        }
        return accepted;
    }

    /** True when done (its failure, if any, is thrown by the caller's get()). */
    private static boolean waitFor(CompletableFuture<?> future, Duration timeout) throws InterruptedException {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private static long committed(KafkaBroker kafka, String groupId) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .values().stream().filter(o -> o != null).mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private static long count(RestClient client) {
        try {
            client.performRequest(new Request("POST", "/" + Indices.SESSIONS + "/_refresh"));
            String body = new String(client.performRequest(new Request("GET", "/" + Indices.SESSIONS + "/_count"))
                    .getEntity().getContent().readAllBytes());
            return Long.parseLong(body.replaceAll(".*\"count\":(\\d+).*", "$1"));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
