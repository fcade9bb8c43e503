package io.webpipe.job;

import io.webpipe.job.e2e.TestJob;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The real job graph: no type falls back to Kryo, and every operator has a stable uid and a readable name. */
class JobGraphTest {

    @Test
    void noTypeFallsBackToKryo() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TestJob.build(env, JobConfig.load(java.util.Map.of()));
        assertThat(env.getConfig().hasGenericTypesDisabled()).isTrue();

        StreamGraph graph = env.getStreamGraph(false);
        // Building the serializers is what fails with generic types disabled; do it for every edge.
        for (StreamNode node : graph.getStreamNodes()) {
            if (node.getTypeSerializerOut() != null) {
                node.getTypeSerializerOut().duplicate();
            }
        }
        for (Transformation<?> t : transformations(env)) {
            assertNoGenericType(t.getOutputType(), t.getName());
        }
    }

    @Test
    void everyOperatorHasAUidAndAName() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TestJob.build(env, JobConfig.load(java.util.Map.of()));
        StreamGraph graph = env.getStreamGraph(false);
        Set<String> uids = new HashSet<>();
        for (StreamNode node : graph.getStreamNodes()) {
            assertThat(node.getTransformationUID()).as(node.getOperatorName()).isNotBlank();
            assertThat(uids.add(node.getTransformationUID())).as("unique uid " + node.getTransformationUID()).isTrue();
            assertThat(node.getOperatorName()).isNotBlank();
        }
        assertThat(uids).contains("kafka-web-log-source", "split-dead-letters", "sessionize", "elasticsearch-sessions-sink",
                "page-views", "page-windows", "page-totals", "elasticsearch-pages-sink");
    }

    private static List<Transformation<?>> transformations(StreamExecutionEnvironment env) {
        List<Transformation<?>> all = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        List<Transformation<?>> todo = new ArrayList<>(env.getTransformations());
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.remove(todo.size() - 1);
            if (seen.add(t.getId())) {
                all.add(t);
                todo.addAll(t.getInputs());
            }
        }
        return all;
    }

    private static void assertNoGenericType(TypeInformation<?> type, String where) {
        assertThat(type).as(where + ": " + type).isNotInstanceOf(GenericTypeInfo.class);
        if (type instanceof CompositeType) {
            CompositeType<?> composite = (CompositeType<?>) type;
            for (int i = 0; i < composite.getArity(); i++) {
                assertNoGenericType(composite.getTypeAt(i), where + "." + composite.getFieldNames()[i]);
            }
        }
    }
}
