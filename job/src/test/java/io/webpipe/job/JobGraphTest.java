package io.webpipe.job;

import io.webpipe.job.e2e.TestJob;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeutils.TypeSerializer;
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
        // Building a serializer is what fails on a generic type (nested ones too) when they are disabled: build
        // those of every edge, in and out.
        for (StreamNode node : graph.getStreamNodes()) {
            if (node.getTypeSerializerOut() != null) {
                node.getTypeSerializerOut().duplicate();
            }
            for (TypeSerializer<?> in : node.getTypeSerializersIn()) {
                in.duplicate();
            }
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
        assertThat(uids).contains("kafka-web-log-source", "split-dead-letters", SessionJob.SESSIONIZE, "elasticsearch-sessions-sink",
                "page-views", SessionJob.SUMMARIZE_PAGE_VIEWS, SessionJob.PAGE_TOTALS, "elasticsearch-pages-sink");
    }

    /** The job shuffles twice (by visitor, by page); every other step runs in the task before it. */
    @Test
    void theStepsBetweenTheShufflesAreChained() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TestJob.build(env, JobConfig.load(java.util.Map.of()));
        List<String> tasks = new ArrayList<>();
        env.getStreamGraph(false).getJobGraph().getVertices().forEach(v -> tasks.add(v.getName()));
        assertThat(tasks).anySatisfy(task -> assertThat(task).startsWith("guard sessions").contains("sessionize",
                "release on checkpoint", "page views", "summarize page views"));
        assertThat(tasks).anySatisfy(task -> assertThat(task).startsWith("page totals").contains("elasticsearch web-pages"));
    }
}
