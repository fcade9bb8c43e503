package io.webpipe.job.sink;

import io.webpipe.job.types.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * One write to Elasticsearch: upsert a document (full JSON source) or delete one by id, with its
 * external version (see {@link DocumentWriteEmitter}). Between operators and in {@link ReleaseOnCheckpoint}'s state
 * with a serializer of the job's own ({@link #TYPE}); a field added here must be added there.
 */
public class DocumentWrite {
    /** Its type between operators and in state ({@link DocumentWriteSerializer}). */
    public static final TypeInformation<DocumentWrite> TYPE = new SerializerTypeInfo<>(DocumentWrite.class, DocumentWriteSerializer.INSTANCE);

    public enum Action { UPSERT, DELETE }

    public String index;
    public String id;
    public Action action;
    /** The document source for {@link Action#UPSERT}; null for deletes. */
    public String json;
    /**
     * Epoch milliseconds: the document's {@code updatedAt} for an upsert, the time of the delete for a
     * delete. 0 in writes restored from a savepoint of a job version that had no versioned writes.
     */
    public long version;

    public DocumentWrite() {}

    public static DocumentWrite upsert(String index, String id, String json, long version) {
        DocumentWrite w = new DocumentWrite();
        w.index = index;
        w.id = id;
        w.action = Action.UPSERT;
        w.json = json;
        w.version = version;
        return w;
    }

    public static DocumentWrite delete(String index, String id, long version) {
        DocumentWrite w = new DocumentWrite();
        w.index = index;
        w.id = id;
        w.action = Action.DELETE;
        w.version = version;
        return w;
    }

    @Override
    public String toString() {
        return action + " " + index + "/" + id + " v" + version;
    }
}
