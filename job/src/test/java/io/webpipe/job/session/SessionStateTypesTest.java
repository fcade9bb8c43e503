package io.webpipe.job.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.pages.PageWindowViews;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.junit.jupiter.api.Test;

/** The sessions' and windows' state is serialized by Flink's POJO serializer (evolvable), never by Kryo. */
class SessionStateTypesTest {

    @Test
    void visitorSessionsArePojos() {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        Sessionize.SESSIONS.initializeSerializerUnlessSet(config);
        assertThat(Sessionize.SESSIONS.getSerializer()).isInstanceOf(PojoSerializer.class);
        assertThat(VisitorSessions.TYPE.createSerializer(config.getSerializerConfig()).duplicate()).isInstanceOf(PojoSerializer.class);
    }

    @Test
    void windowSummariesArePojos() {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        assertThat(SessionSummary.TYPE.createSerializer(config.getSerializerConfig())).isInstanceOf(PojoSerializer.class);
        assertThat(PageWindowViews.TYPE.createSerializer(config.getSerializerConfig())).isInstanceOf(PojoSerializer.class);
    }
}
