package io.webpipe.job.state;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Flink's operator for a keyed process function, which also tells the function's {@link RecentValues} whether the
 * state backend hands out copies of its values ({@code isSafeToReuseKVState}: RocksDB), so that they may keep recent
 * values deserialized, and has them written to the backend before each checkpoint barrier and at the end of input.
 */
public final class RecentValuesOperator<IN, OUT> extends KeyedProcessOperator<String, IN, OUT> {
    private static final long serialVersionUID = 1L;

    public <F extends KeyedProcessFunction<String, IN, OUT> & KeepsRecentValues> RecentValuesOperator(F function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (getKeyedStateBackend().isSafeToReuseKVState()) {
            recentValues().keepRecent(getKeyedStateBackend());
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
