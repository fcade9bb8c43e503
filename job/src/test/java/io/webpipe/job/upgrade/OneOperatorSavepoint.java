package io.webpipe.job.upgrade;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointProperties;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.state.api.OperatorIdentifier;

/** A savepoint of one operator's harness snapshot (parallelism 1), and an operator's state read back from one. */
final class OneOperatorSavepoint {
    /** The checkpoint number these savepoints carry, which a migration keeps. */
    static final long CHECKPOINT_ID = 7;

    private OneOperatorSavepoint() {}

    static Path write(String uid, OperatorSubtaskState state, int maxParallelism, Path dir) throws Exception {
        OperatorState operator = new OperatorState(OperatorIdentifier.forUid(uid).getOperatorId(), 1, maxParallelism);
        operator.putState(0, state);
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve("_metadata"))) {
            Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(CHECKPOINT_ID, List.of(operator), List.of(),
                    CheckpointProperties.forSavepoint(false, SavepointFormatType.CANONICAL)), out);
        }
        return dir;
    }

    /** The state of operator {@code uid} in {@code savepoint}, whose checkpoint number must be {@link #CHECKPOINT_ID}. */
    static OperatorSubtaskState state(Path savepoint, String uid) throws Exception {
        CheckpointMetadata metadata = WindowStateFormat.metadata(savepoint.toString());
        if (metadata.getCheckpointId() != CHECKPOINT_ID) {
            throw new AssertionError("checkpoint " + metadata.getCheckpointId() + " instead of " + CHECKPOINT_ID);
        }
        return metadata.getOperatorStates().stream()
                .filter(s -> s.getOperatorID().equals(OperatorIdentifier.forUid(uid).getOperatorId()))
                .findFirst().orElseThrow(() -> new AssertionError("no state of " + uid)).getState(0);
    }
}
