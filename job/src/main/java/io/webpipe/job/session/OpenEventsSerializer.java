package io.webpipe.job.session;

import static io.webpipe.job.types.Utf8Fields.readStrings;
import static io.webpipe.job.types.Utf8Fields.writeStrings;

import io.webpipe.job.session.GuardSessions.OpenEvents;
import io.webpipe.job.types.FieldsSerializer;
import io.webpipe.job.types.ReplacesPojoSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of {@link GuardSessions}' state: a format number, the latest event time, then the ids as
 * UTF-8 in one piece each ({@link io.webpipe.job.types.Utf8Fields}), or none for a value restored from the version that
 * kept them in a map state. Flink's POJO serializer wrote the ids a character at a time (5 % of a warm RocksDB profile,
 * where recent visitors' values are written before every checkpoint barrier). Values of that POJO serializer (every
 * job before this one) are migrated on restore.
 */
public final class OpenEventsSerializer extends FieldsSerializer<OpenEvents> {
    private static final long serialVersionUID = 1L;
    private static final int FORMAT = 1;

    public static final OpenEventsSerializer INSTANCE = new OpenEventsSerializer();

    private OpenEventsSerializer() {}

    @Override
    public OpenEvents createInstance() {
        return new OpenEvents();
    }

    /** A value's arrays are never changed in place ({@link OpenEvents#add} makes new ones): a copy shares them. */
    @Override
    public OpenEvents copy(OpenEvents from) {
        OpenEvents copy = new OpenEvents();
        copy.latest = from.latest;
        copy.ids = from.ids;
        copy.hashes = from.hashes;
        return copy;
    }

    @Override
    public void serialize(OpenEvents events, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(events.latest);
        out.writeBoolean(events.ids != null);
        if (events.ids != null) {
            writeStrings(events.ids, out);
        }
    }

    @Override
    public OpenEvents deserialize(DataInputView in) throws IOException {
        readFormat(in, FORMAT, "a visitor's open events");
        OpenEvents events = new OpenEvents();
        events.latest = in.readLong();
        if (in.readBoolean()) {
            events.setIds(readStrings(in));
        }
        return events;
    }

    @Override
    public TypeSerializerSnapshot<OpenEvents> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration; values of Flink's POJO serializer (every job before this one) are migrated on restore. */
    public static final class Snapshot extends ReplacesPojoSnapshot<OpenEvents> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
