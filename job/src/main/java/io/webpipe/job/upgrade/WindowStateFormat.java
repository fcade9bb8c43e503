package io.webpipe.job.upgrade;

import io.webpipe.job.SessionJob;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.state.api.OperatorIdentifier;

/**
 * Whether a savepoint is an older job's that {@link MigrateWindowState} must rewrite: one with session windows (the
 * sessionizer replaced them) or page windows (summaries of the views as they come replaced them). Flink's runtime only, read from the savepoint's metadata and the header of an operator's keyed
 * state, which names each state with its kind.
 */
public final class WindowStateFormat {
    /** The uid of the session windows of the jobs before the sessionizer ({@link SessionJob#SESSIONIZE}). */
    public static final String SESSION_WINDOWS = "sessionize";
    /** The uid of the page windows of the jobs before the page view summaries ({@link SessionJob#SUMMARIZE_PAGE_VIEWS}). */
    public static final String PAGE_WINDOWS = "page-windows";

    /** The name Flink's window operator gives its window contents (WindowOperatorBuilder's, not public). */
    static final String WINDOW_CONTENTS = "window-contents";

    private WindowStateFormat() {}

    /** True when {@code savepoint} is an older job's that {@link MigrateWindowState} must rewrite. */
    public static boolean needsMigration(String savepoint) throws IOException {
        CheckpointMetadata metadata = metadata(savepoint);
        return hasOperator(metadata, SESSION_WINDOWS) || hasOperator(metadata, PAGE_WINDOWS);
    }

    static boolean hasOperator(CheckpointMetadata metadata, String uid) {
        OperatorID id = OperatorIdentifier.forUid(uid).getOperatorId();
        return metadata.getOperatorStates().stream().anyMatch(operator -> operator.getOperatorID().equals(id));
    }

    /** True when the operator {@code uid} of the savepoint has window contents that are lists of elements. */
    static boolean keepsElements(CheckpointMetadata metadata, OperatorIdentifier operatorId) throws IOException {
        OperatorID id = operatorId.getOperatorId();
        for (OperatorState operator : metadata.getOperatorStates()) {
            if (!operator.getOperatorID().equals(id)) {
                continue;
            }
            for (OperatorSubtaskState subtask : operator.getStates()) {
                for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
                    StreamStateHandle header = handle instanceof IncrementalRemoteKeyedStateHandle incremental
                            ? incremental.getMetaDataStateHandle() : (StreamStateHandle) handle;
                    try (InputStream in = header.openInputStream()) {
                        KeyedBackendSerializationProxy<?> proxy =
                                new KeyedBackendSerializationProxy<>(WindowStateFormat.class.getClassLoader());
                        proxy.read(new DataInputViewStreamWrapper(in));
                        for (StateMetaInfoSnapshot state : proxy.getStateMetaInfoSnapshots()) {
                            if (state.getName().equals(WINDOW_CONTENTS)) {
                                return StateDescriptor.Type.LIST.name().equals(
                                        state.getOption(StateMetaInfoSnapshot.CommonOptionsKeys.KEYED_STATE_TYPE));
                            }
                        }
                    }
                }
            }
        }
        return false; // no such operator, or no open window in it
    }

    static CheckpointMetadata metadata(String savepoint) throws IOException {
        CompletedCheckpointStorageLocation location = AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(savepoint);
        try (DataInputStream in = new DataInputStream(location.getMetadataHandle().openInputStream())) {
            return Checkpoints.loadCheckpointMetadata(in, WindowStateFormat.class.getClassLoader(), savepoint);
        }
    }
}
