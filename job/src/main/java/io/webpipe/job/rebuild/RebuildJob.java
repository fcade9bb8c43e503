package io.webpipe.job.rebuild;

import io.webpipe.config.Settings;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.index.IndexRebuild;
import io.webpipe.job.Connectors;
import io.webpipe.job.JobConfig;
import io.webpipe.job.JobSinks;
import io.webpipe.job.SessionJob;
import io.webpipe.schema.Indices;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.elasticsearch.client.RestClient;

/**
 * {@code ./webpipe index rebuild web-sessions}: the session index built anew from what {@code web-log} retains,
 * by this job jar's pipeline, while the live job keeps writing through the alias. Run as Flink's CLI runs any
 * program ({@code flink run -c io.webpipe.job.rebuild.RebuildJob <job jar> web-sessions --key value ...}): this
 * main creates {@code web-sessions_v<N+1>} ({@link IndexRebuild}), looks at the topic's end offsets, submits the
 * pipeline bounded at them with its own consumer group ({@code webpipe-rebuild-v<N+1>}) into that index, prints
 * progress until the job finishes, then switches the alias and catches up with the live job ({@link IndexRebuild}).
 *
 * <p>The run writes sessions only: the page catalogue's totals, dead letters and late events are discarded, because
 * the live job has counted and reported them already (written again they would count twice). Its documents carry
 * versions as of a moment before the end offsets were read ({@code sink.versions-as-of}), so every write of the live
 * job since then supersedes them, before and after the switch.
 */
public final class RebuildJob {
    /** Consumer group of the rebuild into version N: its own, so the live job's offsets stay untouched. */
    static final String GROUP_PREFIX = "webpipe-rebuild-v";
    /**
     * How far below the moment the end offsets were read the rebuilt documents' versions are: room for the rewrites
     * of one session within the run (1 ms each) and for clock differences between this machine and the TaskManagers.
     */
    static final Duration VERSION_MARGIN = Duration.ofMinutes(1);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

    private RebuildJob() {}

    public static void main(String[] args) throws Exception {
        if (Settings.helpRequested(args)) {
            System.out.println("usage: ./webpipe index rebuild web-sessions [--key value ...]");
            System.out.print(Settings.help("webpipe index rebuild (the live job's settings; the stack passes its own)",
                    JobConfig.DEFAULTS));
            return;
        }
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("usage: ./webpipe index rebuild web-sessions [--key value ...]");
        }
        run(args[0], List.of(args).subList(1, args.length), VERSION_MARGIN, System.out);
    }

    /**
     * The whole rebuild of {@code name} with the live job's settings {@code settings} ({@code --key value}), progress
     * to {@code out}; the rebuilt documents' versions are {@code versionMargin} below the moment the end offsets were read.
     */
    public static Summary run(String name, List<String> settings, Duration versionMargin, PrintStream out) throws Exception {
        if (!Indices.SESSIONS.equals(name)) {
            throw new IllegalArgumentException("only " + Indices.SESSIONS + " is rebuilt from the log, not '" + name
                    + "' (the page catalogue holds totals over all time, more than the log retains)");
        }
        JobConfig live = JobConfig.load(settings.toArray(String[]::new));
        try (RestClient elasticsearch = IndexLifecycle.connect(live.elasticsearchUrl, live.elasticsearchUsername,
                live.elasticsearchPassword);
                Admin kafka = Admin.create(adminProperties(live))) {
            IndexRebuild index = new IndexRebuild(elasticsearch, out::println);
            int version = index.createVersion(name);
            String target = Indices.versioned(name, version);
            String group = GROUP_PREFIX + version;

            // Whole seconds, rounded down: the versions only move further below the live job's.
            Instant lookedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            LogExtent log = LogExtent.of(kafka, live.topic);
            Instant asOf = lookedAt.minus(versionMargin);
            out.printf("rebuild %s from %s: %,d records in %d partitions up to the end offsets of %s; consumer group %s%n",
                    target, live.topic, log.records(), log.end().size(), lookedAt, group);

            List<String> rebuildSettings = new ArrayList<>(settings);
            rebuildSettings.addAll(List.of("--elasticsearch.sessions-index", target, "--kafka.group-id", group,
                    "--sink.versions-as-of", asOf.toString()));
            JobConfig config = JobConfig.load(rebuildSettings.toArray(String[]::new));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            SessionJob.build(env, config, Connectors.kafkaSource(config, log.end()), sessionsOnly(config));
            long started = System.nanoTime();
            JobClient job = env.executeAsync("webpipe rebuild " + target);
            out.println("  job " + job.getJobID() + " (Flink Web UI: 'webpipe rebuild " + target + "')");
            awaitWithProgress(job, kafka, log, group, index, target, out);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            long rebuilt = index.count(target);

            IndexRebuild.Switched switched = index.switchToRebuilt(name, version, asOf);
            Summary summary = new Summary(target, log.records(), rebuilt, switched.merged(), switched.documents(), took);
            String previousVersion = switched.previous().substring(switched.previous().lastIndexOf("_v") + 2);
            out.printf("done: %s -> %s, %,d documents (%,d rebuilt from %,d records in %d s, then the live job's writes since %s;"
                            + " %,d sessions it merged deleted). %s kept; roll back: ./webpipe index alias %s %s%n",
                    name, target, summary.documents(), rebuilt, log.records(), took.toSeconds(), asOf,
                    switched.merged(), switched.previous(), name, previousVersion);
            return summary;
        }
    }

    /** What the rebuild did. */
    public record Summary(String index, long records, long rebuiltDocuments, long mergedDeleted, long documents, Duration took) {}

    /** Sessions to Elasticsearch; pages, dead letters and late events, which the live job has written already, nowhere. */
    static JobSinks sessionsOnly(JobConfig config) {
        return new JobSinks(Connectors.elasticsearchSink(config), new DiscardingSink<>(), new DiscardingSink<>(),
                new DiscardingSink<>());
    }

    private static void awaitWithProgress(JobClient job, Admin kafka, LogExtent log, String group, IndexRebuild index,
            String target, PrintStream out) throws Exception {
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        String last = "";
        while (!result.isDone()) {
            String line = progress(job.getJobStatus().get().toString(), log.read(kafka, group), log.records(), index.count(target), target);
            if (!line.equals(last)) {
                out.println(line);
                last = line;
            }
            Thread.sleep(PROGRESS_INTERVAL.toMillis());
        }
        try {
            result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the rebuild job failed, the alias was not moved (" + target
                    + " stays, delete it or run the rebuild again): " + e.getCause(), e);
        }
        out.println(progress("FINISHED", log.records(), log.records(), index.count(target), target));
    }

    private static String progress(String state, long read, long total, long documents, String target) {
        return String.format("  %-12s %,d of %,d records read (%d%%), %,d documents in %s", state, read, total,
                total == 0 ? 100 : read * 100 / total, documents, target);
    }

    private static Properties adminProperties(JobConfig config) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        return p;
    }
}
