package io.webpipe.job.sink;

import io.webpipe.job.source.DeadLetter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.DocWriteResponse;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.delete.DeleteResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.index.IndexResponse;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.index.shard.ShardId;
import org.elasticsearch.rest.RestStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sink does with items Elasticsearch answered with a failure that retrying cannot change
 * (after {@link BulkRetry}):
 * <ul>
 *   <li>a version conflict (409): Elasticsearch already holds a newer write of the document (external
 *       versions), so this one was superseded: done;</li>
 *   <li>anything else (a mapping or parse error, a document too large, …): the document goes to the
 *       dead-letter topic with the reason, its index and id and a bounded copy ({@link DeadLetter}),
 *       is counted, and the job goes on. Nothing one visitor sent may stop the sink for everyone.</li>
 * </ul>
 * Either way the item counts as done for the connector's writer, which fails the job on any failed item.
 * Dead letters are acknowledged by Kafka before the writer learns the bulk is done, so before the
 * checkpoint that covers the write completes: none is lost.
 */
public final class RefusedWrites implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RefusedWrites.class);

    /** Writes seen as superseded / refused by this JVM (tests and logs read them). */
    public static final AtomicLong SUPERSEDED = new AtomicLong();
    public static final AtomicLong REFUSED = new AtomicLong();

    /** One producer per broker list and JVM, shared by every writer: writers are not told when they close. */
    private static final Map<String, KafkaProducer<byte[], byte[]>> PRODUCERS = new ConcurrentHashMap<>();

    private final String bootstrapServers;
    private final String deadLetterTopic;

    public RefusedWrites(String bootstrapServers, String deadLetterTopic) {
        this.bootstrapServers = bootstrapServers;
        this.deadLetterTopic = deadLetterTopic;
    }

    /** {@code response} with every superseded or dead-lettered item turned into a success, counted in {@code metrics}. */
    public BulkResponse settle(BulkRequest request, BulkResponse response, WriterMetrics metrics) {
        if (!response.hasFailures()) {
            return response;
        }
        BulkItemResponse[] items = response.getItems().clone();
        int superseded = 0;
        int refused = 0;
        for (int i = 0; i < items.length; i++) {
            BulkItemResponse item = items[i];
            if (!item.isFailed()) {
                continue;
            }
            DocWriteRequest<?> write = request.requests().get(i);
            if (item.getFailure().getStatus() == RestStatus.CONFLICT) {
                superseded++;
            } else {
                deadLetter(write, item);
                refused++;
            }
            items[i] = new BulkItemResponse(item.getItemId(), item.getOpType(), done(write, item));
        }
        SUPERSEDED.addAndGet(superseded);
        REFUSED.addAndGet(refused);
        metrics.superseded.inc(superseded);
        metrics.refused.inc(refused);
        if (superseded > 0) {
            LOG.info("{} of {} writes were superseded by newer versions already in Elasticsearch (version conflict)",
                    superseded, items.length);
        }
        return new BulkResponse(items, response.getTook().millis(), response.getIngestTookInMillis());
    }

    private void deadLetter(DocWriteRequest<?> write, BulkItemResponse item) {
        byte[] source = write instanceof IndexRequest ? BytesReference.toBytes(((IndexRequest) write).source()) : new byte[0];
        String reason = "elasticsearch refused the document (" + item.getFailure().getStatus() + "): " + item.getFailureMessage();
        DeadLetter letter = DeadLetter.ofDocument(reason, write.index(), write.id(), source);
        LOG.warn("dead-lettered to {}: {}", deadLetterTopic, letter);
        try {
            producer().send(new ProducerRecord<>(deadLetterTopic, write.id().getBytes(StandardCharsets.UTF_8),
                    JsonKafkaRecords.mapper().writeValueAsBytes(letter))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + letter, e);
        } catch (ExecutionException | java.io.IOException e) {
            // Kafka itself is down: failing here replays the write from the last checkpoint, later.
            throw new IllegalStateException("cannot dead-letter " + letter, e);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return PRODUCERS.computeIfAbsent(bootstrapServers, servers -> {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "webpipe-refused-writes");
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            Runtime.getRuntime().addShutdownHook(new Thread(producer::close, "close refused-writes producer"));
            return producer;
        });
    }

    private static DocWriteResponse done(DocWriteRequest<?> request, BulkItemResponse item) {
        ShardId shard = new ShardId(item.getIndex(), "_na_", 0);
        if (item.getOpType() == DocWriteRequest.OpType.DELETE) {
            return new DeleteResponse(shard, item.getType(), item.getId(), -1, 0, request.version(), false);
        }
        return new IndexResponse(shard, item.getType(), item.getId(), -1, 0, request.version(), false);
    }
}
