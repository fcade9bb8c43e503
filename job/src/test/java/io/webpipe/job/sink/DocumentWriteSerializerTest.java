package io.webpipe.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.webpipe.job.types.RandomFields;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DocumentWriteSerializerTest {
    private static final List<DocumentWrite> WRITES = List.of(
            DocumentWrite.upsert("web-sessions", "s-1", "{\"pageTitle\":\"한국어 \\u00e9\",\"views\":3}", 1_795_564_800_123L),
            DocumentWrite.delete("web-sessions", "s-0", 1_795_564_800_124L),
            new DocumentWrite());

    /** Every field random ({@link RandomFields}): a field added to {@code DocumentWrite} but not to its serializer (or its copy) fails here. */
    @Test
    void everyFieldComesBackAsItWas() throws Exception {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            DocumentWrite write = RandomFields.randomInstance(DocumentWrite.class, random, Set.of(), Set.of(DocumentWrite.Action.class));
            write.action = random.nextInt(5) == 0 ? null : DocumentWrite.Action.values()[random.nextInt(2)];
            DataOutputSerializer out = new DataOutputSerializer(64);
            DocumentWriteSerializer.INSTANCE.serialize(write, out);
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            assertThat(DocumentWriteSerializer.INSTANCE.deserialize(in)).usingRecursiveComparison().isEqualTo(write);
            assertThat(in.available()).isZero();
            assertThat(DocumentWriteSerializer.INSTANCE.copy(write)).usingRecursiveComparison().isEqualTo(write).isNotSameAs(write);
        }
    }

    @Test
    void aWriteOfAnUnknownFormatIsRefusedWithTheReason() {
        assertThatThrownBy(() -> DocumentWriteSerializer.INSTANCE.deserialize(new DataInputDeserializer(new byte[] {9, 0, 0})))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("a held write in format 9");
    }

    /** Writes held in a checkpoint of an earlier job (Flink's POJO serializer) are released after a restore into this one. */
    @Test
    void writesHeldByAnEarlierJobAreRestoredAndReleased() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var earlier = harness(TypeInformation.of(DocumentWrite.class), null)) {
            for (DocumentWrite w : WRITES) {
                earlier.processElement(w, 0);
            }
            checkpoint = earlier.snapshot(1, 0);
        }
        OperatorSubtaskState migrated;
        try (var restored = harness(DocumentWrite.TYPE, checkpoint)) {
            migrated = restored.snapshot(2, 0); // written with this job's serializer from now on
        }
        try (var again = harness(DocumentWrite.TYPE, migrated)) {
            again.snapshot(3, 0);
            again.notifyOfCompletedCheckpoint(3);
            assertThat(again.extractOutputValues()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(WRITES);
        }
    }

    private static OneInputStreamOperatorTestHarness<DocumentWrite, DocumentWrite> harness(TypeInformation<DocumentWrite> type,
            OperatorSubtaskState restore) throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new ReleaseOnCheckpoint<>(type));
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }
}
