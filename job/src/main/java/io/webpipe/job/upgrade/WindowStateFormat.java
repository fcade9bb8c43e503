package io.webpipe.job.upgrade;

import io.webpipe.job.SessionJob;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
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
 * Whether a savepoint's windows keep their elements (the jobs before issue 9) or one aggregate each (the current
 * job). Flink's runtime only, read from the header of an operator's keyed state, which names each state with its
 * kind.
 */
public final class WindowStateFormat {
    /** The uids of the job's window operators whose state changed kind. */
    static final List<String> WINDOW_OPERATORS = List.of(SessionJob.SESSIONIZE, SessionJob.PAGE_WINDOWS);

    /** The name Flink's window operator gives its window contents (WindowOperatorBuilder's, not public). */
    static final String WINDOW_CONTENTS = "window-contents";

    private WindowStateFormat() {}

    /** True when a window operator of {@code savepoint} keeps its elements: {@link MigrateWindowState} must rewrite it. */
    public static boolean keepsElements(String savepoint) throws IOException {
        CheckpointMetadata metadata = metadata(savepoint);
        for (String uid : WINDOW_OPERATORS) {
            if (keepsElements(metadata, uid)) {
                return true;
            }
        }
        return false;
    }

    /** True when the operator {@code uid} of the savepoint has window contents that are lists of elements. */
    static boolean keepsElements(CheckpointMetadata metadata, String uid) throws IOException {
        OperatorID id = OperatorIdentifier.forUid(uid).getOperatorId();
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
