package io.webpipe.job.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.JobConfig;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointProperties;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A savepoint of operators' harness snapshots (parallelism 1), migrated by {@link MigrateWindowState}, and an
 * operator's state read back from it.
 */
final class OneOperatorSavepoint {
    /** The checkpoint number these savepoints carry, which a migration keeps. */
    static final long CHECKPOINT_ID = 7;

    private OneOperatorSavepoint() {}

    /**
     * The state of operator {@code toUid} after {@link MigrateWindowState} migrated a savepoint holding {@code state}
     * as operator {@code fromUid}'s (both savepoints written under {@code dir}).
     */
    static OperatorSubtaskState migrate(String fromUid, OperatorSubtaskState state, JobConfig config, String toUid, Path dir)
            throws Exception {
        return migrate(Map.of(fromUid, state), config, toUid, dir);
    }

    /** The same, for a savepoint holding each of {@code states} as the state of the operator with that uid. */
    static OperatorSubtaskState migrate(Map<String, OperatorSubtaskState> states, JobConfig config, String toUid, Path dir)
            throws Exception {
        Path from = write(states, config.maxParallelism, dir.resolve("old"));
        assertThat(WindowStateFormat.needsMigration(from.toString())).isTrue();
        Path to = dir.resolve("migrated");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        MigrateWindowState.run(env, config, from.toString(), to.toString());
        assertThat(WindowStateFormat.needsMigration(to.toString())).isFalse();
        return state(to, toUid);
    }

    private static Path write(Map<String, OperatorSubtaskState> states, int maxParallelism, Path dir) throws Exception {
        List<OperatorState> operators = new ArrayList<>();
        states.forEach((uid, state) -> {
            OperatorState operator = new OperatorState(OperatorIdentifier.forUid(uid).getOperatorId(), 1, maxParallelism);
            operator.putState(0, state);
            operators.add(operator);
        });
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve("_metadata"))) {
            Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(CHECKPOINT_ID, operators, List.of(),
                    CheckpointProperties.forSavepoint(false, SavepointFormatType.CANONICAL)), out);
        }
        return dir;
    }

    /** The state of operator {@code uid} in {@code savepoint}, whose checkpoint number must be {@link #CHECKPOINT_ID}. */
    private static OperatorSubtaskState state(Path savepoint, String uid) throws Exception {
        CheckpointMetadata metadata = WindowStateFormat.metadata(savepoint.toString());
        if (metadata.getCheckpointId() != CHECKPOINT_ID) {
            throw new AssertionError("checkpoint " + metadata.getCheckpointId() + " instead of " + CHECKPOINT_ID);
        }
        return metadata.getOperatorStates().stream()
                .filter(s -> s.getOperatorID().equals(OperatorIdentifier.forUid(uid).getOperatorId()))
                .findFirst().orElseThrow(() -> new AssertionError("no state of " + uid)).getState(0);
    }
}
