package io.webpipe.job.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.pages.PageWindowViews;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.junit.jupiter.api.Test;

/** The sessions' and windows' state: serializers of their own or Flink's POJO serializer (evolvable), never Kryo. */
class SessionStateTypesTest {

    @Test
    void visitorSessionsHaveTheirOwnSerializer() {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        Sessionize.SESSIONS.initializeSerializerUnlessSet(config);
        assertThat(Sessionize.SESSIONS.getSerializer()).isSameAs(VisitorSessionsSerializer.INSTANCE);
    }

    @Test
    void windowSummariesArePojos() {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        assertThat(SessionSummary.TYPE.createSerializer(config.getSerializerConfig())).isInstanceOf(PojoSerializer.class);
        assertThat(PageWindowViews.TYPE.createSerializer(config.getSerializerConfig())).isInstanceOf(PojoSerializer.class);
    }
}
