package io.webpipe.job.types;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A serializer of the job's own for a mutable class of public fields, written in a fixed order ({@link Utf8Fields}):
 * what is common to all of them. A subclass writes and reads the fields, makes an empty instance and names its
 * snapshot; a copy is the value written and read back, so it is deep whatever the class holds (unless the subclass
 * copies the fields itself).
 */
public abstract class FieldsSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    /** A deep copy through the serialized form; a subclass whose fields are all immutable values may copy them directly. */
    @Override
    public T copy(T from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(512);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + from, e);
        }
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final int getLength() {
        return -1;
    }

    /**
     * Reads the format number a value in state starts with and refuses any other than {@code format}: a later job's
     * value, or a corrupt one, fails the restore with a reason instead of being misread.
     */
    protected static void readFormat(DataInputView in, int format, String what) throws IOException {
        int found = in.readUnsignedByte();
        if (found != format) {
            throw new IOException(what + " in format " + found + ", unknown to this job (it reads " + format + ")");
        }
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }
}
