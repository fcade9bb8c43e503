package io.webpipe.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.job.JobConfig;
import io.webpipe.job.e2e.TrafficGenerator;
import io.webpipe.job.session.SessionDocuments;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.Indices;
import io.webpipe.schema.Pipeline;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.elasticsearch.client.RestClient;

/**
 * Cost benchmark (not a test): what the job costs in CPU per event, beside a Kafka Streams peer and a
 * plain-Java limit, on the same records in the same run. Pre-fills {@code web-log} on a real broker with
 * generated traffic whose sessions are known ({@link TrafficGenerator}, the end-to-end tests' oracle), then:
 * <ol>
 *   <li>plain: one thread sessionizes the decoded events in memory (thread CPU time, warm: second of two runs);
 *   <li>the job as deployed, Kafka to Elasticsearch ({@link BenchJob}, a MiniCluster in its own JVM), then
 *       compares every session document in Elasticsearch with the expected one, field by field;
 *   <li>the same job with discarding sinks, the floor of Flink's session windows alone ({@link SessionWindowFloor}),
 *       and the Kafka Streams peer ({@link KafkaStreamsSessions}, own JVM) discarding too;
 *   <li>state: the job reads the whole topic while no session can close; checkpoint size / open sessions.
 * </ol>
 * Each process's CPU is read from {@code /proc/<pid>/stat} at the marks it stops at ({@link Mark}): the job
 * from RUNNING to FINISHED, Kafka's and Elasticsearch's over the same span, reported apart. Nothing is subtracted.
 *
 * <p>System properties: {@code bench.events} (default 300,000), {@code bench.parallelism} (2),
 * {@code bench.state-backend} ({@code hashmap} or {@code rocksdb}), {@code bench.flink-options}
 * ({@code key=value,...}), {@code bench.profile} (JFR on the deployed job's JVM, hot frames printed).
 */
public final class SessionBench {
    private static final String TOPIC = Pipeline.EVENTS_TOPIC;
    private static final double EVENTS_PER_VISITOR = 36.5;
    /**
     * Rounds over the same records in one JVM: the first pays for class loading and most JIT compilation; the
     * figure is the cheapest of the last three ({@link Rounds}). Six, because C2 still takes a third of a heap round's
     * CPU in the third 300,000-event round (a quarter in the eighth): a TaskManager runs for days, its warm-up is not
     * the cost per event.
     */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 6);
    private static final List<String> CHILD_JVM = List.of("-Xmx1536m", "-XX:+ExitOnOutOfMemoryError",
            "-Dlog4j2.configurationFile=log4j2-bench.properties");

    private final ProcessCpu cpu = ProcessCpu.ofThisMachine();
    private final Path dir;
    private final KafkaBroker kafka;
    private final ElasticsearchNode es;
    private final int parallelism = Integer.getInteger("bench.parallelism", 2);
    private final String stateBackend = System.getProperty("bench.state-backend", "hashmap");
    private final String flinkOptions = System.getProperty("bench.flink-options", "");
    private final boolean profile = Boolean.getBoolean("bench.profile");

    private SessionBench(Path dir, KafkaBroker kafka, ElasticsearchNode es) {
        this.dir = dir;
        this.kafka = kafka;
        this.es = es;
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 300_000);
        Path dir = Files.createTempDirectory("webpipe-bench-");
        long t = System.nanoTime();
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0, dir.resolve("logs"));
                ElasticsearchNode es = ElasticsearchNode.start(dir.resolve("es"), 0, dir.resolve("logs"))) {
            say("Kafka %s (pid %d) and Elasticsearch %s (pid %d) up in %.1f s", kafka.bootstrapServers(), kafka.pid(),
                    es.httpUrl(), es.pid(), seconds(t));
            new SessionBench(dir, kafka, es).run(events);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void run(int wanted) throws Exception {
        kafka.createTopic(TOPIC, 3);
        kafka.createTopic(TOPIC + "-dlq", 1);
        kafka.createTopic(TOPIC + "-late", 1);
        TrafficGenerator.Traffic traffic = new TrafficGenerator(1, true).generate((int) Math.ceil(wanted / EVENTS_PER_VISITOR));
        int records = traffic.records.size();
        say("traffic: %,d events (%,d records with %,d duplicates and %,d malformed), %,d visitors, %,d sessions; "
                        + "parallelism %d, state backend %s %s", traffic.events, records, traffic.duplicates, traffic.malformed,
                traffic.visitors, traffic.expected.size(), parallelism, stateBackend, flinkOptions);
        produce(traffic);

        say("(c) plain Java, one thread, decoded events in memory");
        List<WebEvent> decoded = decode(traffic);
        plain(decoded);
        Plain plain = plain(decoded);
        decoded = null;
        List<String> plainDifferences = DocumentComparison.differences(traffic.expected, plain.documents);

        List<String> differences;
        JobRun job;
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            IndexLifecycle lifecycle = new IndexLifecycle(client, message -> { });
            lifecycle.ensure(Indices.SESSIONS);
            lifecycle.ensure(Indices.PAGES);
            say("(a) the job as deployed: Kafka -> Elasticsearch");
            job = job("elasticsearch", records);
            differences = DocumentComparison.differences(traffic.expected, ElasticsearchDocuments.all(client, Indices.SESSIONS));
        }
        say("(b) the job with discarding sinks");
        JobRun jobDiscard = job("discard", records);
        say("(b) floor: Flink's session windows alone, counting, discarding");
        JobRun floor = job("floor", records);
        say("(b) Kafka Streams, discarding sink");
        Rounds kstreams = kafkaStreams(records);
        say("state: the whole topic read, no session closed, then a checkpoint");
        JobRun state = job("state", records);

        BenchResult result = new BenchResult(traffic.events, job.rounds.measured().cpu("job"), jobDiscard.rounds.measured().cpu("job"),
                kstreams.measured().cpu("kstreams"), plain.cpuSeconds, state.checkpointBytes, traffic.expected.size(), differences.isEmpty());
        say("");
        say("%,d events (%,d records) from %,d visitors, %,d sessions; events per CPU-second of each run's own process (thread for plain)",
                traffic.events, records, traffic.visitors, traffic.expected.size());
        say("| run | own CPU-s | events/CPU-s | wall s | Kafka CPU-s | Elasticsearch CPU-s |");
        say("|---|---|---|---|---|---|");
        row("plain Java, 1 thread, in memory (warm)", plain.cpuSeconds, result.plainEps(), plain.wallSeconds, 0, 0);
        rows("job as deployed (" + stateBackend + "), Elasticsearch sink", job.rounds, traffic.events);
        rows("job (" + stateBackend + "), discarding sinks", jobDiscard.rounds, traffic.events);
        rows("floor: Flink session windows alone (" + stateBackend + "), count, discarding", floor.rounds, traffic.events);
        rows("Kafka Streams 3.9.1, discarding sink", kstreams, traffic.events);
        say("figures: the measured round of each, the cheapest of its last %d (marked *); plain: the second of two runs in this JVM",
                Rounds.MEASURED);
        say("the same, per CPU-second of the measured round's own threads (its tasks and clients: the JIT compiler and GC left out): "
                + "job %,.0f, discarding %,.0f, floor %,.0f, Kafka Streams %,.0f", traffic.events / job.rounds.ownThreadsCpu(),
                traffic.events / jobDiscard.rounds.ownThreadsCpu(), traffic.events / floor.rounds.ownThreadsCpu(),
                traffic.events / kstreams.ownThreadsCpu());
        say("idle MiniCluster JVM before submission: %.3f CPU-s per s (not subtracted)",
                job.idle.cpu("job") / job.idle.wallSeconds());
        say("state: checkpoint %d: %,d bytes (%,d persisted by this checkpoint) with %,d sessions open = %,d bytes per open session",
                state.checkpointId, state.checkpointBytes, state.checkpointedBytes, traffic.expected.size(), result.stateBytesPerOpenSession());
        say("exact: Elasticsearch %s (%d differences), plain %s (%d differences), field by field against the generator's model",
                differences.isEmpty(), differences.size(), plainDifferences.isEmpty(), plainDifferences.size());
        differences.stream().limit(3).forEach(d -> say("  job: %s", d));
        plainDifferences.stream().limit(3).forEach(d -> say("  plain: %s", d));
        say("job with discarding sinks: %.2f of the events per CPU-second of the floor (Flink's session windows alone)",
                floor.rounds.measured().cpu("job") / jobDiscard.rounds.measured().cpu("job"));
        say("job_vs_kstreams = job with discarding sinks vs Kafka Streams; job_vs_plain = job as deployed vs plain");
        say(result.resultLine());
    }

    /** The job in its own JVM; its CPU (and Kafka's and Elasticsearch's) from RUNNING to FINISHED of each round. */
    private JobRun job(String mode, int records) throws IOException {
        List<String> jvm = new ArrayList<>(CHILD_JVM);
        jvm.addAll(List.of("-Dbench.mode=" + mode, "-Dbench.parallelism=" + parallelism, "-Dbench.state-backend=" + stateBackend,
                "-Dbench.flink-options=" + flinkOptions, "-Dbench.records=" + records, "-Dbench.rounds=" + ROUNDS,
                "-Dbench.checkpoint-dir=" + dir.resolve("checkpoints-" + mode).toUri()));
        Path recording = dir.resolve("job.jfr");
        if (profile && mode.equals("elasticsearch")) {
            jvm.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
        }
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers", kafka.bootstrapServers(),
                "--elasticsearch.url", es.httpUrl(),
                "--parallelism", Integer.toString(parallelism)));
        if (mode.equals("state")) {
            // Event time never passes a session, so every session read is open; checkpoints often, to end soon.
            args.addAll(List.of("--watermark.out-of-orderness", "36500d", "--checkpoint.interval", "2s"));
        } else {
            args.addAll(List.of("--kafka.stop-at-latest", "true"));
        }
        try (Forked child = Forked.start("job " + mode, jvm, BenchJob.class, args)) {
            Map<String, Long> pids = pids("job", child.pid());
            child.awaitMark("idle");
            CpuSample idle = sample(pids, child);
            child.awaitMark("submit");
            CpuSample.Span idleSpan = idle.until(sample(pids, child));
            if (mode.equals("state")) {
                child.awaitMark("running");
                sample(pids, child);
                String[] checkpoint = child.awaitMark("checkpoint");
                sample(pids, child);
                child.finish();
                return new JobRun(idleSpan, null, Long.parseLong(checkpoint[1]), Long.parseLong(checkpoint[2]), Long.parseLong(checkpoint[3]));
            }
            Rounds rounds = rounds(child, pids, "job", mode);
            child.finish();
            if (profile && mode.equals("elasticsearch")) {
                hotspots(recording);
            }
            return new JobRun(idleSpan, rounds, 0, 0, 0);
        }
    }

    private Rounds kafkaStreams(int records) throws IOException {
        List<String> args = List.of(kafka.bootstrapServers(), TOPIC, Integer.toString(records),
                Long.toString(TrafficGenerator.GAP.toMillis()), Long.toString(JobConfig.load(Map.of()).allowedLateness.toMillis()));
        List<String> jvm = new ArrayList<>(CHILD_JVM);
        jvm.add("-Dbench.rounds=" + ROUNDS);
        try (Forked child = Forked.start("kafka streams", jvm, KafkaStreamsSessions.class, args)) {
            Rounds rounds = rounds(child, pids("kstreams", child.pid()), "kstreams", "kafka streams");
            child.finish();
            return rounds;
        }
    }

    /** Each round from its {@code running} to its {@code finished} mark; where the process's time went in the measured one. */
    private Rounds rounds(Forked child, Map<String, Long> pids, String process, String label) throws IOException {
        List<CpuSample.Span> spans = new ArrayList<>();
        List<Map<String, Double>> threads = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            child.awaitMark("running");
            Map<Long, ProcessCpu.ThreadCpu> threadsBefore = cpu.threads(child.pid());
            CpuSample running = sample(pids, child);
            child.awaitMark("finished");
            Map<Long, ProcessCpu.ThreadCpu> threadsAfter = cpu.threads(child.pid());
            CpuSample.Span span = running.until(sample(pids, child));
            threads.add(ThreadBreakdown.between(threadsBefore, threadsAfter, span.cpu(process)));
            spans.add(span);
            say("  %s, round %d (%s): %.1f CPU-s in %.1f s (Kafka %.1f, Elasticsearch %.1f CPU-s)", label, round,
                    round == 1 ? "cold JVM" : "warm", span.cpu(process), span.wallSeconds(), span.cpu("kafka"), span.cpu("elasticsearch"));
        }
        Rounds rounds = new Rounds(spans, threads, process);
        StringBuilder top = new StringBuilder();
        rounds.threadsOfMeasured().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                .forEach(e -> top.append(String.format("%s %.1f; ", e.getKey(), e.getValue())));
        say("    CPU-s by thread, measured round (%d): %s", rounds.measuredIndex() + 1, top);
        return rounds;
    }

    private Map<String, Long> pids(String name, long pid) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(name, pid);
        pids.put("kafka", kafka.pid());
        pids.put("elasticsearch", es.pid());
        return pids;
    }

    /** Reads every process's CPU while the child waits at its mark, then lets it go on. */
    private CpuSample sample(Map<String, Long> pids, Forked child) throws IOException {
        CpuSample sample = CpuSample.take(cpu, pids);
        child.resume();
        return sample;
    }

    private void hotspots(Path recording) throws IOException {
        Path kept = Path.of("target", "bench-job.jfr").toAbsolutePath();
        Files.createDirectories(kept.getParent());
        Files.copy(recording, kept, StandardCopyOption.REPLACE_EXISTING);
        JfrHotspots hotspots = JfrHotspots.of(kept);
        say("profile of the deployed job's JVM (JFR, %,d CPU samples, kept in %s):", hotspots.samples, kept);
        say("top frames (self):%n%s", hotspots.top(hotspots.self, 25));
        say("on the stack (total), the project's and the per-event libraries' methods:%n%s", hotspots.top(hotspots.total, 40));
    }

    /** Decoded as the job decodes (outside the plain run's measured time: it gets decoded records). */
    private static List<WebEvent> decode(TrafficGenerator.Traffic traffic) {
        EventContract contract = new EventContract(EventContract.DEFAULT_MAX_FUTURE_SKEW);
        List<WebEvent> events = new ArrayList<>(traffic.records.size());
        long now = System.currentTimeMillis();
        for (TrafficGenerator.Record r : traffic.records) {
            EventContract.Decoded d = contract.decode(r.value, now);
            if (d.isAccepted()) {
                events.add(d.event());
            }
        }
        return events;
    }

    /** Sessions, documents and their JSON (as the job writes them) in this thread, measured by its CPU time. */
    private static Plain plain(List<WebEvent> events) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> written = new HashMap<>();
        PlainSessionizer sessionizer = new PlainSessionizer(TrafficGenerator.GAP, JobConfig.load(Map.of()).allowedLateness,
                JobConfig.load(Map.of()).outOfOrderness, SessionDocuments.of(JobConfig.load(Map.of())), doc -> {
                    try {
                        written.put(doc.sessionId, json.writeValueAsString(doc));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        events.forEach(sessionizer::accept);
        sessionizer.finish();
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
        double wallSeconds = seconds(wall);
        Map<String, JsonNode> documents = new HashMap<>();
        for (Map.Entry<String, String> e : written.entrySet()) {
            documents.put(e.getKey(), json.readTree(e.getValue()));
        }
        say("  plain: %,d documents, %.2f CPU-s in %.2f s", documents.size(), cpuSeconds, wallSeconds);
        return new Plain(cpuSeconds, wallSeconds, documents);
    }

    private void produce(TrafficGenerator.Traffic traffic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        long t = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (TrafficGenerator.Record r : traffic.records) {
                producer.send(new ProducerRecord<>(TOPIC, r.key, r.value));
            }
            producer.flush();
        }
        say("pre-filled %s with %,d records in %.1f s", TOPIC, traffic.records.size(), seconds(t));
    }

    private record Plain(double cpuSeconds, double wallSeconds, Map<String, JsonNode> documents) {}

    private record JobRun(CpuSample.Span idle, Rounds rounds, long checkpointBytes, long checkpointedBytes, long checkpointId) {}

    private static void rows(String name, Rounds rounds, long events) {
        for (int i = 0; i < rounds.spans().size(); i++) {
            CpuSample.Span span = rounds.spans().get(i);
            String which = (i == 0 ? ", cold JVM" : ", warm (round " + (i + 1) + ")") + (i == rounds.measuredIndex() ? " *" : "");
            row(name + which, rounds.cpu(i), BenchResult.perCpuSecond(events, rounds.cpu(i)), span.wallSeconds(),
                    span.cpu("kafka"), span.cpu("elasticsearch"));
        }
    }

    private static void row(String name, double cpuSeconds, long eps, double wallSeconds, double kafkaCpu, double esCpu) {
        say("| %s | %.2f | %,d | %.1f | %.1f | %.1f |", name, cpuSeconds, eps, wallSeconds, kafkaCpu, esCpu);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }
}
