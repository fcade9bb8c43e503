package io.webpipe.job;

import io.webpipe.job.session.LateEvent;
import io.webpipe.job.sink.BulkRetry;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.sink.DocumentWriteEmitter;
import io.webpipe.job.sink.JsonKafkaRecords;
import io.webpipe.job.sink.RefusedWrites;
import io.webpipe.job.sink.WriterMetrics;
import io.webpipe.job.source.DeadLetter;
import io.webpipe.job.source.DecodedRecord;
import io.webpipe.job.source.WebLogDeserializer;
import io.webpipe.schema.EventContract;
import java.time.Clock;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.elasticsearch.sink.Elasticsearch7SinkBuilder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.elasticsearch.sink.ResilientSinkBuilder;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.http.HttpHost;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;

/** The job's real source and sinks: Kafka {@code web-log} in; Elasticsearch and Kafka out. */
public final class Connectors {
    private Connectors() {}

    /** {@code web-log} from the committed offsets (else the earliest), decoded with the event contract. */
    public static KafkaSource<DecodedRecord> kafkaSource(JobConfig config) {
        KafkaSourceBuilder<DecodedRecord> builder = kafkaSourceBuilder(config);
        if (config.stopAtLatest) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** {@code web-log} as {@link #kafkaSource}, finishing at {@code endOffsets} (a rebuild reads up to where it looked). */
    public static KafkaSource<DecodedRecord> kafkaSource(JobConfig config, Map<TopicPartition, Long> endOffsets) {
        return kafkaSourceBuilder(config).setBounded(OffsetsInitializer.offsets(endOffsets)).build();
    }

    private static KafkaSourceBuilder<DecodedRecord> kafkaSourceBuilder(JobConfig config) {
        return KafkaSource.<DecodedRecord>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(config.topic)
                .setGroupId(config.groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new WebLogDeserializer(new EventContract(config.maxFutureSkew), Clock.systemUTC()))
                .setProperty("commit.offsets.on.checkpoint", "true");
    }

    /** Sessions and pages to Elasticsearch, dead letters and late events to their Kafka topics. */
    public static JobSinks sinks(JobConfig config) {
        return new JobSinks(
                elasticsearchSink(config),
                elasticsearchSink(config),
                kafkaSink(config, new JsonKafkaRecords<DeadLetter>(config.deadLetterTopic, d -> null)),
                kafkaSink(config, new JsonKafkaRecords<LateEvent>(config.lateTopic, l -> l.event.visitorId)));
    }

    /**
     * At-least-once: dead letters and late events are diagnostics, a rare duplicate is harmless. Stored on every
     * in-sync replica ({@code acks=all}, so a broker's death loses none) and without the duplicates or reordering of a
     * producer's own retries (idempotence); Kafka's defaults too, set here so that no other setting turns them off.
     */
    static <T> KafkaSink<T> kafkaSink(JobConfig config, JsonKafkaRecords<T> records) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(records)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setProperty(ProducerConfig.ACKS_CONFIG, "all")
                .setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .build();
    }

    /**
     * Writes are idempotent by id and externally versioned, so at-least-once (flush on every checkpoint)
     * gives exact results. An outage is retried without failing the job; a write refused as older than
     * the document's version was superseded, one refused for good is dead-lettered ({@link RefusedWrites}).
     */
    public static Sink<DocumentWrite> elasticsearchSink(JobConfig config) {
        Elasticsearch7SinkBuilder<DocumentWrite> builder = new ResilientSinkBuilder<DocumentWrite>(
                        new BulkRetry(config.retryDelay, config.retryMaxDelay),
                        new RefusedWrites(config.bootstrapServers, config.deadLetterTopic))
                .setHosts(HttpHost.create(config.elasticsearchUrl))
                .setEmitter(new DocumentWriteEmitter())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setBulkFlushMaxActions(config.bulkMaxActions)
                .setBulkFlushMaxSizeMb(config.bulkMaxSizeMb)
                .setBulkFlushInterval(config.bulkInterval.toMillis());
        if (config.elasticsearchUsername != null) {
            builder.setConnectionUsername(config.elasticsearchUsername)
                    .setConnectionPassword(config.elasticsearchPassword);
        }
        return WriterMetrics.around(builder.build());
    }
}
