package io.webpipe.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.source.WebEventSerializer;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.WebEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.junit.jupiter.api.Test;

/** The serializers of records between operators, against records whose every field is random ({@link RandomFields}). */
class NetworkSerializersTest {

    @Test
    void everyFieldOfAnEventComesBackAsItWas() throws Exception {
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
            assertRoundTrip(WebEventSerializer.INSTANCE, RandomFields.randomInstance(WebEvent.class, random, Set.of(), Set.of()));
        }
        assertThat(WebEventSerializer.TYPE.createSerializer(new SerializerConfigImpl())).isSameAs(WebEventSerializer.INSTANCE);
    }

    @Test
    void aCommonTypeComesBackAsTheContractsInstance() throws Exception {
        WebEvent event = new WebEvent();
        event.type = new String(EventContract.PAGE_VIEW.toCharArray());
        DataOutputSerializer out = new DataOutputSerializer(64);
        WebEventSerializer.INSTANCE.serialize(event, out);
        assertThat(WebEventSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())).type)
                .isSameAs(EventContract.PAGE_VIEW);
    }

    private static <T> void assertRoundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))).usingRecursiveComparison().isEqualTo(value);
        assertThat(serializer.copy(value)).usingRecursiveComparison().isEqualTo(value).isNotSameAs(value);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TypeSerializerSnapshot.writeVersionedSnapshot(new DataOutputViewStreamWrapper(bytes), serializer.snapshotConfiguration());
        TypeSerializerSnapshot<T> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputViewStreamWrapper(new ByteArrayInputStream(bytes.toByteArray())), NetworkSerializersTest.class.getClassLoader());
        assertThat(restored.restoreSerializer()).isSameAs(serializer);
    }
}
