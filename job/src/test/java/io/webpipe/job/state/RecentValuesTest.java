package io.webpipe.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFinalizer;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecentValuesTest {
    private static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Types.LONG);

    /** Counts each key's elements and emits the count; clears a key on "clear". */
    static class CountPerKey extends KeyedProcessFunction<String, String, Long> implements KeepsRecentValues {
        private transient RecentValues<Long> count;

        @Override
        public void open(OpenContext openContext) {
            count = new RecentValues<>(getRuntimeContext().getState(COUNT), 2);
        }

        @Override
        public RecentValues<Long> recentValues() {
            return count;
        }

        @Override
        public void processElement(String key, Context ctx, Collector<Long> out) throws Exception {
            if (key.endsWith("!")) {
                count.clear(ctx.getCurrentKey());
                return;
            }
            Long before = count.value(ctx.getCurrentKey());
            long now = before == null ? 1 : before + 1;
            count.update(ctx.getCurrentKey(), now);
            out.collect(now);
        }
    }

    private static final ValueStateDescriptor<long[]> COUNT_IN_PLACE =
            new ValueStateDescriptor<>("count-in-place", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Counts each key's elements in a mutable value, changed in place and handed to update. */
    static class CountInPlace extends KeyedProcessFunction<String, String, Long> implements KeepsRecentValues {
        private transient RecentValues<long[]> count;

        @Override
        public void open(OpenContext openContext) {
            count = new RecentValues<>(getRuntimeContext().getState(COUNT_IN_PLACE), 2);
        }

        @Override
        public RecentValues<long[]> recentValues() {
            return count;
        }

        @Override
        public void processElement(String key, Context ctx, Collector<Long> out) throws Exception {
            long[] value = count.value(ctx.getCurrentKey());
            if (value == null) {
                value = new long[1];
            }
            value[0]++;
            count.update(ctx.getCurrentKey(), value);
            out.collect(value[0]);
        }
    }

    /**
     * What {@link RecentValues#changesInPlace} relies on: the heap backend's own object, copied on read while a snapshot
     * still holds it, so that a change in place is the backend's and a snapshot taken before it keeps the value before.
     */
    @Test
    void onTheHeapAChangeInPlaceIsTheBackendsAndASnapshotTakenBeforeItKeepsTheValueBefore() throws Exception {
        OperatorSubtaskState atTwo;
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(new RecentValuesOperator<>(new CountInPlace()),
                (String key) -> key, Types.STRING)) {
            harness.open();
            harness.processElement("a", 0);
            harness.processElement("a", 0);
            OperatorSnapshotFutures pending = harness.getOperator().snapshotState(1, 0,
                    CheckpointOptions.forCheckpointWithDefaultLocation(), new MemCheckpointStreamFactory(Integer.MAX_VALUE));
            harness.processElement("a", 0); // while the snapshot's asynchronous part has not run
            atTwo = new OperatorSnapshotFinalizer(pending).getJobManagerOwnedState();
            assertThat(stored(harness, "a", COUNT_IN_PLACE)).containsExactly(3L);
            harness.processElement("b", 0);
            assertThat(stored(harness, "b", COUNT_IN_PLACE)).containsExactly(1L); // a new value is written
        }
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(new RecentValuesOperator<>(new CountInPlace()),
                (String key) -> key, Types.STRING)) {
            restored.initializeState(atTwo);
            restored.open();
            restored.processElement("a", 0);
            assertThat(restored.extractOutputValues()).containsExactly(3L);
        }
    }

    @Test
    void withRocksDbAChangeReachesTheBackendWhenItsKeyLeavesOrBeforeTheBarrier() throws Exception {
        try (var harness = harness(true)) {
            harness.open();
            harness.processElement("a", 0);
            harness.processElement("a", 0); // a burst: kept, not written
            harness.processElement("b", 0);
            assertThat(stored(harness, "a")).isNull();

            harness.processElement("c", 0); // "a" leaves the two kept: written back
            assertThat(stored(harness, "a")).isEqualTo(2);
            assertThat(stored(harness, "b")).isNull();

            harness.processElement("a", 0); // read back from the backend
            harness.prepareSnapshotPreBarrier(1);
            assertThat(stored(harness, "a")).isEqualTo(3);
            assertThat(stored(harness, "b")).isEqualTo(1);
            assertThat(stored(harness, "c")).isEqualTo(1);
            assertThat(harness.extractOutputValues()).containsExactly(1L, 2L, 1L, 1L, 3L);
        }
    }

    @Test
    void aClearedKeyIsNeverWrittenBack() throws Exception {
        try (var harness = harness(true)) {
            harness.open();
            harness.processElement("a", 0);
            harness.processElement("a!", 0);
            harness.processElement("b", 0);
            harness.processElement("c", 0);
            harness.prepareSnapshotPreBarrier(1);
            assertThat(stored(harness, "a")).isNull();
        }
    }

    @ParameterizedTest(name = "RocksDB {0}")
    @ValueSource(booleans = {false, true})
    void aRestoredCheckpointHoldsEveryChange(boolean rocksDb) throws Exception {
        var checkpoint = (OperatorSubtaskState) null;
        try (var harness = harness(rocksDb)) {
            harness.open();
            for (String key : new String[] {"a", "b", "a", "c", "d", "a"}) {
                harness.processElement(key, 0);
            }
            harness.prepareSnapshotPreBarrier(1);
            checkpoint = harness.snapshot(1, 0);
        }
        try (var restored = harness(rocksDb)) {
            restored.initializeState(checkpoint);
            restored.open();
            for (String key : new String[] {"a", "b", "c", "d"}) {
                restored.processElement(key, 0);
            }
            assertThat(restored.extractOutputValues()).containsExactly(4L, 2L, 2L, 2L);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, Long> harness(boolean rocksDb) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new RecentValuesOperator<>(new CountPerKey()),
                (String key) -> key.replace("!", ""), Types.STRING);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return harness;
    }

    private static Long stored(KeyedOneInputStreamOperatorTestHarness<String, String, Long> harness, String key) throws Exception {
        return stored(harness, key, COUNT);
    }

    /** What the backend holds for {@code key}, read without the function. */
    private static <V> V stored(KeyedOneInputStreamOperatorTestHarness<String, String, Long> harness, String key,
            ValueStateDescriptor<V> descriptor) throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        String current = backend.getCurrentKey();
        backend.setCurrentKey(key);
        try {
            ValueState<V> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
            return state.value();
        } finally {
            backend.setCurrentKey(current);
        }
    }
}
