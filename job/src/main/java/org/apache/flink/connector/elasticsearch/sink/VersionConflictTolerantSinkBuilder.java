package org.apache.flink.connector.elasticsearch.sink;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.java.ClosureCleaner;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.DocWriteResponse;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.delete.DeleteResponse;
import org.elasticsearch.action.index.IndexResponse;
import org.elasticsearch.index.shard.ShardId;
import org.elasticsearch.rest.RestStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Elasticsearch7SinkBuilder} whose sink treats a version conflict (409) of a bulk item as
 * success: with external versions, a conflict means Elasticsearch already holds a newer write of that
 * document, so the older one is superseded, not failed. Every other item failure still fails the job.
 *
 * <p>Why this package: connector 3.0.1 has no failure handler, and the only hook, the bulk processor
 * factory, is package-private. The writer fails on any failed item of a bulk response, so the listener
 * it passes to the factory is wrapped and sees conflicting items as done.
 */
public class VersionConflictTolerantSinkBuilder<IN> extends Elasticsearch7SinkBuilder<IN> {
    private static final Logger LOG = LoggerFactory.getLogger(VersionConflictTolerantSinkBuilder.class);
    /** Superseded writes seen by this JVM (tests read it; the log says it too). */
    public static final AtomicLong SUPERSEDED = new AtomicLong();

    @Override
    protected BulkProcessorBuilderFactory getBulkProcessorBuilderFactory() {
        BulkProcessorBuilderFactory factory = super.getBulkProcessorBuilderFactory();
        // The connector's factory is an inner class of the (not serializable) builder: drop that reference
        // as Flink's closure cleaning would, since this wrapper hides it from the sink's own cleaning.
        ClosureCleaner.clean(factory, ExecutionConfig.ClosureCleanerLevel.RECURSIVE, true);
        return (client, config, listener) -> factory.apply(client, config, new IgnoreVersionConflicts(listener));
    }

    static final class IgnoreVersionConflicts implements BulkProcessor.Listener {
        private final BulkProcessor.Listener writer;

        IgnoreVersionConflicts(BulkProcessor.Listener writer) {
            this.writer = writer;
        }

        @Override
        public void beforeBulk(long executionId, BulkRequest request) {
            writer.beforeBulk(executionId, request);
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, BulkResponse response) {
            writer.afterBulk(executionId, request, response.hasFailures() ? withoutConflicts(request, response) : response);
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, Throwable failure) {
            writer.afterBulk(executionId, request, failure);
        }

        static BulkResponse withoutConflicts(BulkRequest request, BulkResponse response) {
            BulkItemResponse[] items = response.getItems().clone();
            int conflicts = 0;
            for (int i = 0; i < items.length; i++) {
                BulkItemResponse item = items[i];
                if (item.isFailed() && item.getFailure().getStatus() == RestStatus.CONFLICT) {
                    items[i] = new BulkItemResponse(item.getItemId(), item.getOpType(), superseded(request.requests().get(i), item));
                    conflicts++;
                }
            }
            if (conflicts == 0) {
                return response;
            }
            SUPERSEDED.addAndGet(conflicts);
            LOG.info("{} of {} writes were superseded by newer versions already in Elasticsearch (version conflict)",
                    conflicts, items.length);
            return new BulkResponse(items, response.getTook().millis(), response.getIngestTookInMillis());
        }

        private static DocWriteResponse superseded(DocWriteRequest<?> request, BulkItemResponse item) {
            ShardId shard = new ShardId(item.getIndex(), "_na_", 0);
            if (item.getOpType() == DocWriteRequest.OpType.DELETE) {
                return new DeleteResponse(shard, item.getType(), item.getId(), -1, 0, request.version(), false);
            }
            return new IndexResponse(shard, item.getType(), item.getId(), -1, 0, request.version(), false);
        }
    }
}
