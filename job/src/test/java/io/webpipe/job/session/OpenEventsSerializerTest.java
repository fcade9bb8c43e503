package io.webpipe.job.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.session.GuardSessions.OpenEvents;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class OpenEventsSerializerTest {
    @Test
    void idsWithTheSameHashCodeAreEachFound() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        OpenEvents events = OpenEvents.none();
        for (String id : new String[] {"e2", "Aa", "e1", "BB"}) {
            assertThat(events.contains(id)).isFalse();
            events.add(id);
            assertThat(events.contains(id)).isTrue();
        }
        assertThat(events.ids).hasSize(4);
        assertThat(events.contains("AaBB")).isFalse();
        assertThat(events.ids).containsExactlyInAnyOrder("e1", "e2", "Aa", "BB");
    }

    /** Ids made to share one hash code (blocks of "Aa" and "BB") are each found, as is the hash code Integer.MIN_VALUE. */
    @Test
    void manyIdsOfOneHashCodeAreEachFoundByTheirOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int bits = 0; bits < 2048; bits++) {
            StringBuilder id = new StringBuilder();
            for (int block = 0; block < 11; block++) {
                id.append((bits >> block & 1) == 0 ? "Aa" : "BB");
            }
            ids.add(id.toString());
        }
        assertThat(ids).extracting(String::hashCode).containsOnly(ids.get(0).hashCode());
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
        ids.add("polygenelubricants");
        ids.add("e1");
        Collections.shuffle(ids, new Random(7));
        OpenEvents events = OpenEvents.none();
        for (String id : ids) {
            assertThat(events.contains(id)).isFalse();
            events.add(id);
            assertThat(events.contains(id)).isTrue();
        }
        OpenEvents read = roundTrip(events);
        assertThat(read.ids).hasSize(2050);
        assertThat(read.ids).containsExactly(events.ids);
        assertThat(ids).allMatch(read::contains);
        assertThat(read.contains("AaAa")).isFalse();
    }

    @Test
    void aValueReadsBackWithItsIdsOrderedByHashCode() throws Exception {
        OpenEvents events = OpenEvents.none();
        for (String id : new String[] {"e2", "Aa", "한글-id", "BB", "e1"}) {
            events.add(id);
        }
        events.latest = 1_795_564_800_000L;
        OpenEvents read = roundTrip(events);
        assertThat(read.ids).hasSize(5);
        assertThat(read.latest).isEqualTo(events.latest);
        assertThat(read.ids).containsExactly(events.ids);
        assertThat(read.hashes).containsExactly(events.hashes).isSorted();
        for (int i = 0; i < read.ids.length; i++) {
            assertThat(read.hashes[i]).isEqualTo(read.ids[i].hashCode());
        }
        assertThat(read.contains("BB")).isTrue();
        assertThat(read.contains("e3")).isFalse();
    }

    /** A value restored from the version that kept the ids in a map state has none until its visitor comes again. */
    @Test
    void aValueWithoutIdsStaysWithout() throws Exception {
        OpenEvents legacy = new OpenEvents();
        legacy.latest = 7;
        OpenEvents read = roundTrip(legacy);
        assertThat(read.ids).isNull();
        assertThat(read.latest).isEqualTo(7);
    }

    @Test
    void aCopyIsUntouchedByAddsToTheOriginal() {
        OpenEvents events = OpenEvents.none();
        events.add("e1");
        OpenEvents copy = OpenEventsSerializer.INSTANCE.copy(events);
        events.add("e2");
        assertThat(copy.contains("e2")).isFalse();
        assertThat(copy.ids).hasSize(1);
    }

    private static OpenEvents roundTrip(OpenEvents events) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        OpenEventsSerializer.INSTANCE.serialize(events, out);
        return OpenEventsSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
