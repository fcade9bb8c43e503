package io.webpipe.job.session;

import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.schema.WebEvent;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * {@link Sessionize}'s operator: Flink's own for a keyed process function, which also tells it whether the state
 * backend hands out copies of its values (RocksDB), so that it may keep recent visitors deserialized, and has it write
 * their changes to the backend before each checkpoint barrier and at the end of input.
 */
public final class SessionizeOperator extends KeyedProcessOperator<String, WebEvent, DocumentWrite> {
    private static final long serialVersionUID = 1L;

    /** Visitors kept deserialized per subtask: a few KB each, a few tens of MB of heap at most. */
    static final int RECENT_VISITORS = 4_096;

    public SessionizeOperator(Sessionize sessionize) {
        super(sessionize);
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (getKeyedStateBackend().isSafeToReuseKVState()) {
            ((Sessionize) userFunction).keepRecent(RECENT_VISITORS, getKeyedStateBackend());
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((Sessionize) userFunction).flushRecent();
    }

    @Override
    public void finish() throws Exception {
        ((Sessionize) userFunction).flushRecent();
        super.finish();
    }
}
