package io.webpipe.job.sink;

import static io.webpipe.job.types.Utf8Fields.readString;
import static io.webpipe.job.types.Utf8Fields.writeString;

import io.webpipe.job.types.FieldsSerializer;
import io.webpipe.job.types.ReplacesPojoSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The writes {@link ReleaseOnCheckpoint} holds in its checkpoints: a format number, then the fields in a fixed order,
 * the document's JSON as UTF-8 in one piece. Flink's POJO serializer wrote the JSON a character at a time, which the
 * profiles showed in every checkpoint. Held writes of an earlier job, written by that POJO serializer, are read with
 * it once on restore (operator state is restored whole onto the heap) and written with this one from then on.
 */
public final class DocumentWriteSerializer extends FieldsSerializer<DocumentWrite> {
    private static final long serialVersionUID = 1L;
    private static final int FORMAT = 1;
    private static final DocumentWrite.Action[] ACTIONS = DocumentWrite.Action.values();

    public static final DocumentWriteSerializer INSTANCE = new DocumentWriteSerializer();

    private DocumentWriteSerializer() {}

    @Override
    public DocumentWrite createInstance() {
        return new DocumentWrite();
    }

    /** Its fields are immutable values: a copy shares them (checkpoints copy every held write). */
    @Override
    public DocumentWrite copy(DocumentWrite from) {
        DocumentWrite copy = new DocumentWrite();
        copy.index = from.index;
        copy.id = from.id;
        copy.action = from.action;
        copy.json = from.json;
        copy.version = from.version;
        return copy;
    }

    @Override
    public void serialize(DocumentWrite write, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        writeString(write.index, out);
        writeString(write.id, out);
        out.writeByte(write.action == null ? -1 : write.action.ordinal());
        writeString(write.json, out);
        out.writeLong(write.version);
    }

    @Override
    public DocumentWrite deserialize(DataInputView in) throws IOException {
        readFormat(in, FORMAT, "a held write");
        DocumentWrite write = new DocumentWrite();
        write.index = readString(in);
        write.id = readString(in);
        byte action = in.readByte();
        write.action = action < 0 ? null : ACTIONS[action];
        write.json = readString(in);
        write.version = in.readLong();
        return write;
    }

    @Override
    public TypeSerializerSnapshot<DocumentWrite> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration; held writes of Flink's POJO serializer (every job before this one) are migrated on restore. */
    public static final class Snapshot extends ReplacesPojoSnapshot<DocumentWrite> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
