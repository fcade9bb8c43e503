package io.webpipe.job.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.junit.jupiter.api.Test;

/**
 * {@link VisitorSessionsSerializer} against visitors whose every field (of every state class, found by reflection)
 * holds a random value: a field the serializer forgets comes back with its default and fails the comparison.
 */
class VisitorSessionsSerializerTest {
    private static final VisitorSessionsSerializer SERIALIZER = VisitorSessionsSerializer.INSTANCE;
    private static final String[] TEXT = {"", "a", "/path?q=1", "한국어 제목", "emoji 😀", "x".repeat(300)};

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

    /** Every public instance field set: strings (sometimes null), numbers, flags, arrays, a summary. */
    private static <T> T randomInstance(Class<T> type, Random random) throws Exception {
        T instance = type.getConstructor().newInstance();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(instance, random.nextInt(8) == 0 ? null : TEXT[random.nextInt(TEXT.length)] + random.nextInt());
            } else if (t == int.class) {
                f.setInt(instance, random.nextInt());
            } else if (t == long.class) {
                f.setLong(instance, random.nextLong());
            } else if (t == boolean.class) {
                f.setBoolean(instance, random.nextBoolean());
            } else if (t == long[].class) {
                f.set(instance, random.longs(1 + random.nextInt(5)).toArray());
            } else if (t == int[].class) {
                f.set(instance, random.ints(1 + random.nextInt(5)).toArray());
            } else if (t == String[].class) {
                String[] strings = new String[1 + random.nextInt(5)];
                for (int i = 0; i < strings.length; i++) {
                    strings[i] = TEXT[random.nextInt(TEXT.length)] + random.nextInt();
                }
                f.set(instance, strings);
            } else if (t == SessionSummary.class) {
                f.set(instance, randomInstance(SessionSummary.class, random));
            } else if (t != OpenSession[].class && t != WrittenSession[].class) {
                throw new AssertionError("a field of a type this test does not fill: " + type.getSimpleName() + "." + f.getName());
            }
        }
        return instance;
    }
}
