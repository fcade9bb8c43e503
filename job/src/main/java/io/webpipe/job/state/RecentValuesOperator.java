package io.webpipe.job.state;

import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Flink's operator for a keyed process function, which also tells the function's {@link RecentValues} how the state
 * backend hands out values: copies ({@code isSafeToReuseKVState}: RocksDB), so that they may keep recent values
 * deserialized, written to the backend before each checkpoint barrier and at the end of input; or its own objects,
 * copied on write while a snapshot holds them (the heap backend), so that a value changed in place is there already.
 */
public final class RecentValuesOperator<IN, OUT> extends KeyedProcessOperator<String, IN, OUT> {
    private static final long serialVersionUID = 1L;

    public <F extends KeyedProcessFunction<String, IN, OUT> & KeepsRecentValues> RecentValuesOperator(F function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        KeyedStateBackend<String> backend = getKeyedStateBackend();
        if (backend.isSafeToReuseKVState()) {
            recentValues().keepRecent(backend);
        } else if (backend instanceof HeapKeyedStateBackend) { // not wrapped (a changelog wants every update)
            recentValues().changesInPlace();
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        recentValues().flush();
    }

    @Override
    public void finish() throws Exception {
        recentValues().flush();
        super.finish();
    }

    private RecentValues<?> recentValues() {
        return ((KeepsRecentValues) userFunction).recentValues();
    }
}
