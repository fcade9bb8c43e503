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
 * Which state format a savepoint's session windows have. Flink's runtime only (no State Processor API), so that the
 * stack can ask before it restores a savepoint.
 */
public final class SessionWindowsFormat {
    private SessionWindowsFormat() {}

    /**
     * True when {@code savepoint}'s session windows keep their events (written by a job before summaries): the
     * current job cannot restore it before {@link MigrateSessionWindows} rewrote it. Read from the header of the
     * operator's keyed state, which names each state with its kind (a list of events, or an aggregate).
     */
    public static boolean keepsEvents(String savepoint) throws IOException {
        CheckpointMetadata metadata = metadata(savepoint);
        OperatorID sessionize = OperatorIdentifier.forUid(SessionJob.SESSIONIZE).getOperatorId();
        for (OperatorState operator : metadata.getOperatorStates()) {
            if (!operator.getOperatorID().equals(sessionize)) {
                continue;
            }
            for (OperatorSubtaskState subtask : operator.getStates()) {
                for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
                    StreamStateHandle header = handle instanceof IncrementalRemoteKeyedStateHandle incremental
                            ? incremental.getMetaDataStateHandle() : (StreamStateHandle) handle;
                    try (InputStream in = header.openInputStream()) {
                        KeyedBackendSerializationProxy<?> proxy =
                                new KeyedBackendSerializationProxy<>(SessionWindowsFormat.class.getClassLoader());
                        proxy.read(new DataInputViewStreamWrapper(in));
                        for (StateMetaInfoSnapshot state : proxy.getStateMetaInfoSnapshots()) {
                            if (state.getName().equals(SessionWindowsBootstrap.WINDOW_CONTENTS)) {
                                return StateDescriptor.Type.LIST.name().equals(
                                        state.getOption(StateMetaInfoSnapshot.CommonOptionsKeys.KEYED_STATE_TYPE));
                            }
                        }
                    }
                }
            }
        }
        return false; // no open session window in it
    }

    static CheckpointMetadata metadata(String savepoint) throws IOException {
        CompletedCheckpointStorageLocation location = AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(savepoint);
        try (DataInputStream in = new DataInputStream(location.getMetadataHandle().openInputStream())) {
            return Checkpoints.loadCheckpointMetadata(in, SessionWindowsFormat.class.getClassLoader(), savepoint);
        }
    }
}
