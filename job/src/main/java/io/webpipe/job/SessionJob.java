package io.webpipe.job;

import io.webpipe.job.pages.PageTotals;
import io.webpipe.job.pages.ToPageViews;
import io.webpipe.job.pages.PageWindowSummary;
import io.webpipe.job.pages.SummarizePageWindow;
import io.webpipe.job.session.DescribeLateEvents;
import io.webpipe.job.session.LateEvent;
import io.webpipe.job.session.SessionWindowFunction;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.sink.DocumentWriteEmitter;
import io.webpipe.job.sink.JsonKafkaRecords;
import io.webpipe.job.sink.ReleaseOnCheckpoint;
import io.webpipe.job.source.DeadLetter;
import io.webpipe.job.source.DecodedRecord;
import io.webpipe.job.source.SplitDeadLetters;
import io.webpipe.job.source.WebLogDeserializer;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.job.time.SessionWatermarks;
import io.webpipe.schema.Indices;
import io.webpipe.schema.WebEvent;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.elasticsearch.sink.Elasticsearch7SinkBuilder;
import org.apache.flink.connector.elasticsearch.sink.VersionConflictTolerantSinkBuilder;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchSink;
import org.apache.flink.connector.elasticsearch.sink.FlushBackoffType;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import org.apache.http.HttpHost;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessionization job: Kafka {@code web-log} -> decode (bad records to the dead-letter topic)
 * -> per-partition event-time watermarks -> session windows per visitor (too-late events to the
 * late topic) -> session documents in Elasticsearch behind the write alias {@code web-sessions}.
 */
public final class SessionJob {
    private static final Logger LOG = LoggerFactory.getLogger(SessionJob.class);

    static final OutputTag<WebEvent> LATE_EVENTS = new OutputTag<>("late-events", TypeInformation.of(WebEvent.class));

    private SessionJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.load(args);
        LOG.info("webpipe session job, effective configuration: {}", config.describe());
        try (RestClient client = IndexLifecycle.connect(
                config.elasticsearchUrl, config.elasticsearchUsername, config.elasticsearchPassword)) {
            IndexLifecycle lifecycle = new IndexLifecycle(client, LOG::info);
            lifecycle.ensure(Indices.SESSIONS, Duration.ofMinutes(2));
            lifecycle.ensure(Indices.PAGES, Duration.ofMinutes(2));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config);
        env.execute("webpipe sessions");
    }

    /** Adds the whole pipeline to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, UnaryOperator.identity());
    }

    /**
     * Adds the whole pipeline, with {@code beforeSessions} applied to the decoded events right
     * before they are keyed (tests use it to inject a failure mid-stream).
     */
    public static void build(StreamExecutionEnvironment env, JobConfig config,
            UnaryOperator<DataStream<WebEvent>> beforeSessions) {
        // Every type between operators and in state has a Flink serializer; never fall back to Kryo.
        env.getConfig().disableGenericTypes();
        // No function keeps a reference to its input, so chained operators can hand records on
        // without a defensive copy each (a large part of the per-event cost otherwise).
        env.getConfig().enableObjectReuse();
        // Savepoints are only restorable into a job with the same max parallelism (key groups).
        env.setMaxParallelism(config.maxParallelism);
        if (config.parallelism > 0) {
            env.setParallelism(config.parallelism);
        }
        if (!config.checkpointInterval.isZero()) {
            env.enableCheckpointing(config.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }

        SingleOutputStreamOperator<WebEvent> events = env
                .fromSource(kafkaSource(config),
                        SessionWatermarks.strategy(config.outOfOrderness, config.idleTimeout),
                        "kafka " + config.topic)
                .uid("kafka-web-log-source")
                .process(new SplitDeadLetters())
                .name("split dead letters")
                .uid("split-dead-letters");

        events.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .sinkTo(kafkaSink(config, new JsonKafkaRecords<DeadLetter>(config.deadLetterTopic, d -> null)))
                .name("kafka " + config.deadLetterTopic)
                .uid("kafka-dead-letter-sink");

        DataStream<WebEvent> decoded = beforeSessions.apply(events);
        SingleOutputStreamOperator<DocumentWrite> writes = sessionize(decoded, config);

        writes.getSideOutput(LATE_EVENTS)
                .process(new DescribeLateEvents(config.sessionGap, config.allowedLateness))
                .name("describe late events")
                .uid("describe-late-events")
                .sinkTo(kafkaSink(config, new JsonKafkaRecords<LateEvent>(config.lateTopic, l -> l.event.visitorId)))
                .name("kafka " + config.lateTopic)
                .uid("kafka-late-sink");

        DataStream<DocumentWrite> released = writes;
        if (!config.checkpointInterval.isZero()) {
            released = writes
                    .transform("release on checkpoint", writes.getType(), new ReleaseOnCheckpoint<>(writes.getType()))
                    .uid("release-writes-on-checkpoint");
        }
        released.sinkTo(elasticsearchSink(config))
                .name("elasticsearch " + Indices.SESSIONS)
                .uid("elasticsearch-sessions-sink");

        pageCatalogue(decoded, config)
                .sinkTo(elasticsearchSink(config))
                .name("elasticsearch " + Indices.PAGES)
                .uid("elasticsearch-pages-sink");
    }

    /**
     * Page statistics: page views only, summed per page in tumbling event-time windows (each {@code eventId}
     * once), added to running totals, written as whole page documents. The windows accept what the session
     * windows accept (lateness up to gap + allowed lateness), so both count the same events.
     */
    static DataStream<DocumentWrite> pageCatalogue(DataStream<WebEvent> events, JobConfig config) {
        SingleOutputStreamOperator<PageWindowSummary> summaries = events
                .flatMap(new ToPageViews())
                .name("page views")
                .uid("page-views")
                .keyBy(v -> v.pageKey, Types.STRING)
                .window(TumblingEventTimeWindows.of(config.pagesWindow))
                .allowedLateness(config.sessionGap.plus(config.allowedLateness))
                .process(new SummarizePageWindow())
                .name("page windows")
                .uid("page-windows");
        // Still partitioned by page: the totals chain to the windows instead of shuffling again.
        return DataStreamUtils
                .reinterpretAsKeyedStream(summaries, s -> s.pageKey, Types.STRING)
                .process(new PageTotals(Indices.PAGES, config.pagesFlushInterval))
                .name("page totals")
                .uid("page-totals");
    }

    /** Session windows per visitor and the document writes of every firing; too-late events to {@link #LATE_EVENTS}. */
    static SingleOutputStreamOperator<DocumentWrite> sessionize(DataStream<WebEvent> events, JobConfig config) {
        return events
                .keyBy(e -> e.visitorId, Types.STRING)
                // Windows are [first, last + gap) and merge when they touch, so events exactly `gap`
                // apart are one session: the product rule "at most gap after".
                .window(EventTimeSessionWindows.withGap(config.sessionGap))
                .allowedLateness(config.allowedLateness)
                .sideOutputLateData(LATE_EVENTS)
                .process(new SessionWindowFunction(Indices.SESSIONS))
                .name("sessionize")
                .uid("sessionize");
    }

    static KafkaSource<DecodedRecord> kafkaSource(JobConfig config) {
        KafkaSourceBuilder<DecodedRecord> builder = KafkaSource.<DecodedRecord>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(config.topic)
                .setGroupId(config.groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new WebLogDeserializer(config.maxFuture))
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (config.stopAtLatest) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** At-least-once: dead letters and late events are diagnostics, a rare duplicate is harmless. */
    static <T> KafkaSink<T> kafkaSink(JobConfig config, JsonKafkaRecords<T> records) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(records)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /**
     * Writes are idempotent by id and externally versioned, so at-least-once (flush on every checkpoint)
     * gives exact results; a write refused as older than the document's version was superseded, not failed.
     */
    static ElasticsearchSink<DocumentWrite> elasticsearchSink(JobConfig config) {
        Elasticsearch7SinkBuilder<DocumentWrite> builder = new VersionConflictTolerantSinkBuilder<DocumentWrite>()
                .setHosts(HttpHost.create(config.elasticsearchUrl))
                .setEmitter(new DocumentWriteEmitter())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setBulkFlushMaxActions(config.bulkMaxActions)
                .setBulkFlushMaxSizeMb(config.bulkMaxSizeMb)
                .setBulkFlushInterval(config.bulkInterval.toMillis())
                .setBulkFlushBackoffStrategy(FlushBackoffType.EXPONENTIAL,
                        config.backoffRetries, config.backoffDelay.toMillis());
        if (config.elasticsearchUsername != null) {
            builder.setConnectionUsername(config.elasticsearchUsername)
                    .setConnectionPassword(config.elasticsearchPassword);
        }
        return builder.build();
    }
}
