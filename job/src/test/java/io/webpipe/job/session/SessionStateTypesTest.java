package io.webpipe.job.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.pages.PageWindowViews;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.junit.jupiter.api.Test;

/** The windows' state is serialized by Flink's POJO serializer (evolvable), never by Kryo. */
class SessionStateTypesTest {

    @Test
    void writtenSessionsStateIsAPojoMap() {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        SessionWindowFunction.WRITTEN.initializeSerializerUnlessSet(config);
        MapSerializer<String, WrittenSession> serializer =
                (MapSerializer<String, WrittenSession>) SessionWindowFunction.WRITTEN.getSerializer();
        assertThat(serializer.getValueSerializer()).isInstanceOf(PojoSerializer.class);
    }

    @Test
    void windowSummariesArePojos() {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        assertThat(SessionSummary.TYPE.createSerializer(config.getSerializerConfig())).isInstanceOf(PojoSerializer.class);
        assertThat(PageWindowViews.TYPE.createSerializer(config.getSerializerConfig())).isInstanceOf(PojoSerializer.class);
    }
}
