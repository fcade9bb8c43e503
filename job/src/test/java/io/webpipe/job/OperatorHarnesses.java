package io.webpipe.job;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Flink's keyed operator harness around one operator of a graph built on {@code env}, found by its uid — the
 * identity a savepoint knows it by — so a harness test runs exactly the operator the job runs (its window
 * assigner, trigger, lateness and function) without rebuilding it.
 */
public final class OperatorHarnesses {
    private OperatorHarnesses() {}

    /** A harness for the operator {@code uid}, keyed by a string as every keyed operator of the job is. */
    public static <IN, OUT> KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> keyed(StreamExecutionEnvironment env,
            String uid) throws Exception {
        return keyed(env, uid, 1);
    }

    /** The same, with the key groups of {@code maxParallelism} (those of a savepoint it restores or feeds). */
    @SuppressWarnings("unchecked")
    public static <IN, OUT> KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> keyed(StreamExecutionEnvironment env,
            String uid, int maxParallelism) throws Exception {
        StreamNode node = env.getStreamGraph(false).getStreamNodes().stream()
                .filter(n -> uid.equals(n.getTransformationUID()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no operator with uid " + uid));
        return new KeyedOneInputStreamOperatorTestHarness<>((StreamOperatorFactory<OUT>) node.getOperatorFactory(),
                (KeySelector<IN, String>) node.getStatePartitioners()[0], Types.STRING, maxParallelism, 1, 0);
    }
}
