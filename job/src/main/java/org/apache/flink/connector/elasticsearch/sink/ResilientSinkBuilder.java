package org.apache.flink.connector.elasticsearch.sink;

import io.webpipe.job.sink.BulkRetry;
import io.webpipe.job.sink.RefusedWrites;
import io.webpipe.job.sink.WriterMetrics;
import org.elasticsearch.action.bulk.BackoffPolicy;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.common.unit.ByteSizeUnit;
import org.elasticsearch.common.unit.ByteSizeValue;
import org.elasticsearch.common.unit.TimeValue;

/**
 * An {@link Elasticsearch7SinkBuilder} whose sink neither fails on an outage nor on a refused document:
 * each bulk is sent through {@link BulkRetry} (retryable failures, of the request or of single items,
 * retried with capped backoff) and its answer settled by {@link RefusedWrites} (superseded writes are
 * done, refused ones dead-lettered) before the connector's writer sees it.
 *
 * <p>Why this package: connector 3.0.1 has no failure handler, and the only hook, the bulk processor
 * factory, is package-private. The builder's own backoff settings are not used.
 */
public class ResilientSinkBuilder<IN> extends Elasticsearch7SinkBuilder<IN> {
    private final BulkRetry retry;
    private final RefusedWrites refusedWrites;

    public ResilientSinkBuilder(BulkRetry retry, RefusedWrites refusedWrites) {
        this.retry = retry;
        this.refusedWrites = refusedWrites;
    }

    @Override
    protected BulkProcessorBuilderFactory getBulkProcessorBuilderFactory() {
        return new Factory(retry, refusedWrites);
    }

    /** A named class (not a lambda) so that it stays serializable without a reference to the builder. */
    static final class Factory implements BulkProcessorBuilderFactory {
        private static final long serialVersionUID = 1L;
        private final BulkRetry retry;
        private final RefusedWrites refusedWrites;

        Factory(BulkRetry retry, RefusedWrites refusedWrites) {
            this.retry = retry;
            this.refusedWrites = refusedWrites;
        }

        @Override
        public BulkProcessor.Builder apply(RestHighLevelClient client, BulkProcessorConfig config, BulkProcessor.Listener writer) {
            BulkProcessor.Builder builder = BulkProcessor.builder(
                    (request, listener) -> {
                        BulkResponse response;
                        try {
                            response = retry.send(client, request);
                        } catch (RuntimeException e) {
                            listener.onFailure(e);
                            return;
                        }
                        listener.onResponse(response);
                    },
                    new Settling(writer, refusedWrites, WriterMetrics.current()));
            if (config.getBulkFlushMaxActions() != -1) {
                builder.setBulkActions(config.getBulkFlushMaxActions());
            }
            if (config.getBulkFlushMaxMb() != -1) {
                builder.setBulkSize(new ByteSizeValue(config.getBulkFlushMaxMb(), ByteSizeUnit.MB));
            }
            if (config.getBulkFlushInterval() != -1) {
                builder.setFlushInterval(new TimeValue(config.getBulkFlushInterval()));
            }
            // BulkRetry already retried everything retryable.
            return builder.setBackoffPolicy(BackoffPolicy.noBackoff());
        }
    }

    /** Hands the writer each answer with the superseded and refused items settled. */
    static final class Settling implements BulkProcessor.Listener {
        private final BulkProcessor.Listener writer;
        private final RefusedWrites refusedWrites;
        private final WriterMetrics metrics;

        Settling(BulkProcessor.Listener writer, RefusedWrites refusedWrites, WriterMetrics metrics) {
            this.writer = writer;
            this.refusedWrites = refusedWrites;
            this.metrics = metrics;
        }

        @Override
        public void beforeBulk(long executionId, BulkRequest request) {
            writer.beforeBulk(executionId, request);
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, BulkResponse response) {
            BulkResponse settled;
            try {
                settled = refusedWrites.settle(request, response, metrics);
            } catch (RuntimeException e) {
                writer.afterBulk(executionId, request, e);
                return;
            }
            writer.afterBulk(executionId, request, settled);
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, Throwable failure) {
            writer.afterBulk(executionId, request, failure);
        }
    }
}
