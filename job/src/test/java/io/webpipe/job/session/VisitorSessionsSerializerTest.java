package io.webpipe.job.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import io.webpipe.job.types.RandomFields;
import io.webpipe.schema.EventContract;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.junit.jupiter.api.Test;

/**
 * {@link VisitorSessionsSerializer} against visitors whose every field (of every state class, found by reflection)
 * holds a random value ({@link RandomFields}): a field the serializer forgets comes back with its default and fails
 * the comparison.
 */
class VisitorSessionsSerializerTest {
    private static final VisitorSessionsSerializer SERIALIZER = VisitorSessionsSerializer.INSTANCE;

    @Test
    void everyFieldComesBackAsItWas() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            VisitorSessions visitor = randomVisitor(random);
            DataOutputSerializer out = new DataOutputSerializer(64);
            SERIALIZER.serialize(visitor, out);
            VisitorSessions back = SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).usingRecursiveComparison().isEqualTo(visitor);

            DataOutputSerializer copied = new DataOutputSerializer(64);
            SERIALIZER.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
            assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        }
    }

    @Test
    void commonTypesComeBackAsTheContractsInstances() throws Exception {
        VisitorSessions visitor = randomVisitor(new Random(9));
        visitor.sessions = new OpenSession[] {randomInstance(OpenSession.class, new Random(10))};
        visitor.sessions[0].summary.types = new String[] {new String(EventContract.CLICK.toCharArray()), "signup"};
        visitor.sessions[0].summary.typeCounts = new int[] {2, 1};
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(visitor, out);
        String[] types = SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())).sessions[0].summary.types;
        assertThat(types[0]).isSameAs(EventContract.CLICK);
        assertThat(types[1]).isEqualTo("signup");
    }

    @Test
    void aCopyIsDeep() throws Exception {
        VisitorSessions visitor = randomVisitor(new Random(7));
        visitor.sessions = new OpenSession[] {randomInstance(OpenSession.class, new Random(8))};
        VisitorSessions copy = SERIALIZER.copy(visitor);
        assertThat(copy).usingRecursiveComparison().isEqualTo(visitor);
        copy.sessions[0].summary.pageUrls[0] = "changed";
        copy.sessions[0].summary.eventCount++;
        assertThat(visitor.sessions[0].summary.pageUrls[0]).isNotEqualTo("changed");
        assertThat(copy.sessions[0].summary.eventCount).isEqualTo(visitor.sessions[0].summary.eventCount + 1);
    }

    @Test
    void anEmptyVisitorAndItsSnapshotRestore() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        SERIALIZER.serialize(new VisitorSessions(), out);
        assertThat(SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .usingRecursiveComparison().isEqualTo(new VisitorSessions());

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        TypeSerializerSnapshot.writeVersionedSnapshot(new DataOutputViewStreamWrapper(bytes), SERIALIZER.snapshotConfiguration());
        TypeSerializerSnapshot<VisitorSessions> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputViewStreamWrapper(new java.io.ByteArrayInputStream(bytes.toByteArray())), getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(new byte[] {9, 0, 0})))
                .isInstanceOf(IOException.class).hasMessageContaining("format 9");
    }

    private static VisitorSessions randomVisitor(Random random) throws Exception {
        VisitorSessions visitor = randomInstance(VisitorSessions.class, random);
        visitor.sessions = new OpenSession[random.nextInt(4)];
        for (int i = 0; i < visitor.sessions.length; i++) {
            visitor.sessions[i] = randomInstance(OpenSession.class, random);
        }
        visitor.written = new WrittenSession[random.nextInt(4)];
        for (int i = 0; i < visitor.written.length; i++) {
            visitor.written[i] = randomInstance(WrittenSession.class, random);
        }
        return visitor;
    }

    private static <T> T randomInstance(Class<T> type, Random random) throws Exception {
        return RandomFields.randomInstance(type, random, Set.of(SessionSummary.class), Set.of(OpenSession[].class, WrittenSession[].class));
    }
}
