package io.webpipe.job.source;

import static io.webpipe.job.types.Utf8Fields.readString;
import static io.webpipe.job.types.Utf8Fields.writeString;

import io.webpipe.job.types.FieldsSerializer;
import io.webpipe.job.types.SerializerTypeInfo;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.WebEvent;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Decoded events on their way from the decoding tasks to the visitors' tasks (the shuffle by visitor): Flink's POJO
 * serializer wrote their eleven fields by reflection and their strings a character at a time, 5 % of the job's
 * samples in the RocksDB profile. Between operators only, never in state: no format number.
 */
public final class WebEventSerializer extends FieldsSerializer<WebEvent> {
    private static final long serialVersionUID = 1L;

    public static final WebEventSerializer INSTANCE = new WebEventSerializer();

    /** The decoded events' type between operators. */
    public static final TypeInformation<WebEvent> TYPE = new SerializerTypeInfo<>(WebEvent.class, INSTANCE);

    private WebEventSerializer() {}

    @Override
    public WebEvent createInstance() {
        return new WebEvent();
    }

    @Override
    public void serialize(WebEvent e, DataOutputView out) throws IOException {
        writeString(e.eventId, out);
        writeString(e.type, out);
        out.writeLong(e.timestamp);
        writeString(e.visitorId, out);
        writeString(e.userId, out);
        writeString(e.url, out);
        writeString(e.pageId, out);
        writeString(e.pageTitle, out);
        writeString(e.referrer, out);
        writeString(e.userAgent, out);
        writeString(e.ip, out);
    }

    @Override
    public WebEvent deserialize(DataInputView in) throws IOException {
        WebEvent e = new WebEvent();
        e.eventId = readString(in);
        e.type = EventContract.commonType(readString(in));
        e.timestamp = in.readLong();
        e.visitorId = readString(in);
        e.userId = readString(in);
        e.url = readString(in);
        e.pageId = readString(in);
        e.pageTitle = readString(in);
        e.referrer = readString(in);
        e.userAgent = readString(in);
        e.ip = readString(in);
        return e;
    }

    @Override
    public TypeSerializerSnapshot<WebEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: any snapshot of it restores with this one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<WebEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
