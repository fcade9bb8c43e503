package io.webpipe.job.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchEmitter;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentType;
import org.elasticsearch.index.VersionType;

/**
 * Index (whole document, by id: idempotent) or delete by id, with external versions (the rule of
 * {@code index/README.md} that makes the zero-downtime reindex exact): an index request carries
 * {@code external_gte} = {@code updatedAt}, a delete {@code external} = the time of the delete. So
 * Elasticsearch refuses to replace a newer document with an older one; such a refusal (409) means the
 * write was superseded and is not an error ({@code RefusedWrites}).
 */
public class DocumentWriteEmitter implements ElasticsearchEmitter<DocumentWrite> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPDATED_AT = "updatedAt";

    @Override
    public void emit(DocumentWrite write, SinkWriter.Context context, RequestIndexer indexer) {
        switch (write.action) {
            case UPSERT:
                indexer.add(new IndexRequest(write.index).id(write.id).source(write.json.getBytes(StandardCharsets.UTF_8), XContentType.JSON)
                        .versionType(VersionType.EXTERNAL_GTE).version(upsertVersion(write)));
                break;
            case DELETE:
                DeleteRequest delete = new DeleteRequest(write.index, write.id);
                if (write.version > 0) {
                    delete.versionType(VersionType.EXTERNAL).version(write.version);
                }
                // else: held by a job version without versions; a superseded id is never written again.
                indexer.add(delete);
                break;
            default:
                throw new IllegalArgumentException("unknown action " + write.action);
        }
    }

    /** A write restored from an unversioned job version still carries its updatedAt in the document. */
    static long upsertVersion(DocumentWrite write) {
        if (write.version > 0) {
            return write.version;
        }
        try {
            return Instant.parse(JSON.readTree(write.json).path(UPDATED_AT).asText()).toEpochMilli();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
