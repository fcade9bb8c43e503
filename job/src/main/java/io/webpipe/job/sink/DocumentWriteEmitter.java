package io.webpipe.job.sink;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchEmitter;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentType;

/** Index (whole document, by id: idempotent) or delete by id. */
public class DocumentWriteEmitter implements ElasticsearchEmitter<DocumentWrite> {
    private static final long serialVersionUID = 1L;

    @Override
    public void emit(DocumentWrite write, SinkWriter.Context context, RequestIndexer indexer) {
        switch (write.action) {
            case UPSERT:
                indexer.add(new IndexRequest(write.index).id(write.id).source(write.json, XContentType.JSON));
                break;
            case DELETE:
                indexer.add(new DeleteRequest(write.index, write.id));
                break;
            default:
                throw new IllegalArgumentException("unknown action " + write.action);
        }
    }
}
