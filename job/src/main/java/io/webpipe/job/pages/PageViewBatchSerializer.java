package io.webpipe.job.pages;

import static io.webpipe.job.types.Utf8Fields.readLength;
import static io.webpipe.job.types.Utf8Fields.readString;
import static io.webpipe.job.types.Utf8Fields.writeLength;
import static io.webpipe.job.types.Utf8Fields.writeString;

import io.webpipe.job.types.FieldsSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Batches of page views on their way to be summarized (the shuffle by page): the page once, then each view's
 * fields in a fixed order. Between operators only, never in state: no format number.
 */
public final class PageViewBatchSerializer extends FieldsSerializer<PageViewBatch> {
    private static final long serialVersionUID = 1L;

    public static final PageViewBatchSerializer INSTANCE = new PageViewBatchSerializer();

    private PageViewBatchSerializer() {}

    @Override
    public PageViewBatch createInstance() {
        return new PageViewBatch();
    }

    @Override
    public void serialize(PageViewBatch batch, DataOutputView out) throws IOException {
        writeString(batch.pageKey, out);
        writeLength(batch.views.length, out);
        for (PageView v : batch.views) {
            writeString(v.pageId, out);
            writeString(v.url, out);
            writeString(v.pageTitle, out);
            writeString(v.visitorId, out);
            writeString(v.eventId, out);
            out.writeLong(v.timestamp);
            out.writeBoolean(v.bot);
        }
    }

    @Override
    public PageViewBatch deserialize(DataInputView in) throws IOException {
        PageViewBatch batch = new PageViewBatch();
        batch.pageKey = readString(in);
        batch.views = new PageView[readLength(in)];
        for (int i = 0; i < batch.views.length; i++) {
            PageView v = new PageView();
            v.pageKey = batch.pageKey;
            v.pageId = readString(in);
            v.url = readString(in);
            v.pageTitle = readString(in);
            v.visitorId = readString(in);
            v.eventId = readString(in);
            v.timestamp = in.readLong();
            v.bot = in.readBoolean();
            batch.views[i] = v;
        }
        return batch;
    }

    @Override
    public TypeSerializerSnapshot<PageViewBatch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: any snapshot of it restores with this one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PageViewBatch> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
