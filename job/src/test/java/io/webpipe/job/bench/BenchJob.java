package io.webpipe.job.bench;

import io.webpipe.job.Connectors;
import io.webpipe.job.JobConfig;
import io.webpipe.job.JobSinks;
import io.webpipe.job.SessionJob;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The job in a JVM of its own (a MiniCluster: one TaskManager), so the bench can read its CPU time. Program
 * arguments are the job's {@code --key value} configuration; system properties {@code bench.mode}:
 * <ul>
 *   <li>{@code elasticsearch}: as deployed ({@link Connectors}: Kafka in, Elasticsearch and Kafka out), to the end of the topic;
 *   <li>{@code discard}: the same job with every sink discarding (the pairing with the Kafka Streams peer);
 *   <li>{@code floor}: Flink's session windows alone, on the same source ({@link SessionWindowFloor});
 *   <li>{@code state}: reads the whole topic while no session can close (the caller sets a huge out-of-orderness),
 *       then reports the size of a checkpoint that holds every session open, and cancels.
 * </ul>
 * Marks: {@code idle} and {@code submit} around {@code bench.idle-seconds} of an idle cluster, then per round
 * ({@link SessionBench#ROUNDS}: the first in a cold JVM, the next ones warm) {@code running N} and
 * {@code finished N}; in {@code state} mode one round, {@code running 1}, {@code checkpoint STATE_BYTES CHECKPOINTED_BYTES ID}.
 */
public final class BenchJob {
    private BenchJob() {}

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("bench.mode");
        int parallelism = Integer.getInteger("bench.parallelism", 2);
        int rounds = mode.equals("state") ? 1 : SessionBench.ROUNDS;
        Configuration flink = flinkConfiguration();

        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(flink)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism)
                .build());
        cluster.start();
        try {
            Mark.reached("idle");
            Thread.sleep(Integer.getInteger("bench.idle-seconds", 3) * 1000L);
            Mark.reached("submit");

            // Each round reads the whole topic again (a consumer group of its own) in the same, warmer JVM.
            for (int round = 1; round <= rounds; round++) {
                JobConfig config = JobConfig.load(Map.of(), with(args, "--kafka.group-id", "bench-" + mode + "-" + round));
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
                if (mode.equals("floor")) {
                    SessionWindowFloor.build(env, config, Connectors.kafkaSource(config));
                } else {
                    SessionJob.build(env, config, Connectors.kafkaSource(config), mode.equals("elasticsearch") ? Connectors.sinks(config) : discarding());
                }
                JobID job = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
                while (cluster.getJobStatus(job).get() != JobStatus.RUNNING) {
                    Thread.sleep(20);
                }
                Mark.reached("running " + round);
                if (mode.equals("state")) {
                    CompletedCheckpointStats full = checkpointAfterAllRead(cluster, job, config, Long.getLong("bench.records"));
                    Mark.reached("checkpoint " + full.getStateSize() + " " + full.getCheckpointedSize() + " " + full.getCheckpointId());
                    cluster.cancelJob(job).get();
                } else {
                    JobResult result = cluster.requestJobResult(job).get();
                    result.toJobExecutionResult(BenchJob.class.getClassLoader()); // throws the job's failure, if any
                    Mark.reached("finished " + round);
                }
            }
        } finally {
            cluster.close();
        }
    }

    private static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static Configuration flinkConfiguration() {
        Configuration flink = new Configuration();
        String backend = System.getProperty("bench.state-backend", "hashmap");
        flink.set(StateBackendOptions.STATE_BACKEND, backend);
        flink.setString("execution.checkpointing.dir", System.getProperty("bench.checkpoint-dir"));
        if (backend.equals("rocksdb")) {
            // As the local stack deploys it (flink-conf/config.yaml): incremental checkpoints, Flink's own snapshot
            // files compressed, timers in RocksDB.
            flink.setString("execution.checkpointing.incremental", "true");
            flink.setString("execution.checkpointing.snapshot-compression", "true");
            flink.setString("state.backend.rocksdb.timer-service.factory", "ROCKSDB");
            flink.setString("taskmanager.memory.managed.size", "512m");
        }
        for (String option : System.getProperty("bench.flink-options", "").split(",")) {
            if (!option.isBlank()) {
                int eq = option.indexOf('=');
                flink.setString(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
            }
        }
        return flink;
    }

    private static JobSinks discarding() {
        return new JobSinks(new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>());
    }

    /**
     * Offsets are committed when a checkpoint completes, and that checkpoint's state holds every record before
     * them (aligned barriers): once all {@code records} are committed, the latest completed checkpoint holds them all.
     */
    private static CompletedCheckpointStats checkpointAfterAllRead(MiniCluster cluster, JobID job, JobConfig config, long records)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers))) {
            while (true) {
                long committed = admin.listConsumerGroupOffsets(config.groupId).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).values().stream().filter(o -> o != null)
                        .mapToLong(OffsetAndMetadata::offset).sum();
                if (committed >= records) {
                    return cluster.getExecutionGraph(job).get().getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + committed + " of " + records + " records committed after 3 min");
                }
                Thread.sleep(200);
            }
        }
    }
}
