package io.webpipe.job.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Holds records back until the checkpoint that covers the state which produced them has
 * completed, then passes them on in order.
 *
 * <p>Why: the session window function decides which older documents a new one supersedes from its
 * checkpointed state. If a document reached Elasticsearch after the last checkpoint and the job
 * then restarted from it, a replay may group events differently (event time depends on how fast
 * each partition is read) and nothing in the restored state would know that document: it would
 * stay behind, stale. Releasing writes only for completed checkpoints keeps Elasticsearch a
 * function of checkpointed state; writes are idempotent, so releasing one again after a restore is
 * harmless. The cost is up to one checkpoint interval of extra latency.
 *
 * <p>Records must not be mutated upstream after they are emitted (the window function creates a
 * new one for every write). Use only with checkpointing enabled; at the end of a bounded input
 * everything still held is released.
 */
public class ReleaseOnCheckpoint<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;
    /** Records restored from a checkpoint: released at the first completed checkpoint after the restore. */
    private static final long RESTORED = Long.MIN_VALUE;

    private final TypeInformation<T> type;

    private transient ListState<T> held;
    private transient List<T> sinceLastCheckpoint;
    private transient NavigableMap<Long, List<T>> byCheckpoint;

    public ReleaseOnCheckpoint(TypeInformation<T> type) {
        this.type = type;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        held = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("held-records", type));
        sinceLastCheckpoint = new ArrayList<>();
        byCheckpoint = new TreeMap<>();
        List<T> restored = new ArrayList<>();
        held.get().forEach(restored::add);
        if (!restored.isEmpty()) {
            byCheckpoint.put(RESTORED, restored);
        }
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        sinceLastCheckpoint.add(element.getValue());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (!sinceLastCheckpoint.isEmpty()) {
            byCheckpoint.put(context.getCheckpointId(), sinceLastCheckpoint);
            sinceLastCheckpoint = new ArrayList<>();
        }
        List<T> all = new ArrayList<>();
        byCheckpoint.values().forEach(all::addAll);
        held.update(all);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        NavigableMap<Long, List<T>> covered = byCheckpoint.headMap(checkpointId, true);
        for (Map.Entry<Long, List<T>> e : covered.entrySet()) {
            release(e.getValue());
        }
        covered.clear();
    }

    /** End of a bounded input: no more state changes can come, everything held is final. */
    @Override
    public void finish() throws Exception {
        byCheckpoint.values().forEach(this::release);
        byCheckpoint.clear();
        release(sinceLastCheckpoint);
        sinceLastCheckpoint.clear();
        super.finish();
    }

    private void release(List<T> records) {
        for (T record : records) {
            output.collect(new StreamRecord<>(record));
        }
    }
}
