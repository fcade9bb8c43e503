package io.webpipe.job;

import io.webpipe.job.pages.PageTotals;
import io.webpipe.job.pages.PageView;
import io.webpipe.job.pages.ToPageViews;
import io.webpipe.job.pages.PageWindowSummary;
import io.webpipe.job.pages.SummarizePageViews;
import io.webpipe.job.quality.Engagement;
import io.webpipe.job.session.DescribeLateEvents;
import io.webpipe.job.session.GuardSessions;
import io.webpipe.job.session.LateEvent;
import io.webpipe.job.session.Sessionize;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.sink.ReleaseOnCheckpoint;
import io.webpipe.job.source.DecodedRecord;
import io.webpipe.job.source.SplitDeadLetters;
import io.webpipe.job.source.WebEventSerializer;
import io.webpipe.job.state.RecentValuesOperator;
import io.webpipe.config.Settings;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.job.time.SessionWatermarks;
import io.webpipe.schema.Indices;
import io.webpipe.schema.WebEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessionization job: records of {@code web-log} -> decode (bad records to the dead letters)
 * -> per-partition event-time watermarks -> guard (duplicates, per-visitor limit) -> sessions per visitor with the
 * rules of session windows (too-late events to the late events) -> session documents; and the page catalogue.
 *
 * <p>{@link #build} is handed its source and sinks, so tests run the whole pipeline on in-memory input
 * with collecting sinks; {@link #main} wires Kafka and Elasticsearch ({@link Connectors}).
 */
public final class SessionJob {
    private static final Logger LOG = LoggerFactory.getLogger(SessionJob.class);

    static final OutputTag<PageView> LATE_PAGE_VIEWS = new OutputTag<>("late-page-views", TypeInformation.of(PageView.class));

    /**
     * How long, and for how many views at most, page views are held to be summarized together
     * ({@link SummarizePageViews}): a page's figures are late by at most that (they are written every flush interval).
     */
    static final Duration PAGE_VIEW_BATCH_DELAY = Duration.ofMillis(200);
    static final int PAGE_VIEW_BATCH_SIZE = 1_000;

    /** The name the job runs under (the Web UI, the stack's status). */
    public static final String JOB_NAME = io.webpipe.schema.Pipeline.JOB_NAME;

    /** The sessionizer's uid (the session windows' before it, {@code sessionize}, are migrated to it). */
    public static final String SESSIONIZE = "sessionize-visitors";
    /** The page view summaries' uid (the page windows before them, {@code page-windows}, are migrated away). */
    public static final String SUMMARIZE_PAGE_VIEWS = "summarize-page-views";
    /** The page totals' uid, whose state a savepoint migration rewrites too. */
    public static final String PAGE_TOTALS = "page-totals";

    /** Versions of the documents the job writes; harness tests hand the operators a clock of their own. */
    static final Clock WALL_CLOCK = Clock.systemUTC();

    private SessionJob() {}

    public static void main(String[] args) throws Exception {
        if (Settings.helpRequested(args)) {
            System.out.print(Settings.help("webpipe session job", JobConfig.DEFAULTS));
            return;
        }
        JobConfig config = JobConfig.load(args);
        LOG.info("webpipe session job, effective configuration: {}", config.describe());
        ensureIndices(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config, Connectors.kafkaSource(config), Connectors.sinks(config));
        env.execute(JOB_NAME);
    }

    /**
     * The job's one deployment step: the index templates installed and each alias on a first index if it
     * has none, waiting while Elasticsearch starts with the stack. Moving an alias is {@code ./webpipe index}'s.
     */
    static void ensureIndices(JobConfig config) throws IOException, InterruptedException {
        try (RestClient client = IndexLifecycle.connect(
                config.elasticsearchUrl, config.elasticsearchUsername, config.elasticsearchPassword)) {
            IndexLifecycle lifecycle = new IndexLifecycle(client, LOG::info);
            lifecycle.ensure(Indices.SESSIONS, Duration.ofMinutes(2));
            lifecycle.ensure(Indices.PAGES, Duration.ofMinutes(2));
        }
    }

    /** Adds the whole pipeline to {@code env}, reading {@code source} and writing to {@code sinks}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config, Source<DecodedRecord, ?, ?> source, JobSinks sinks) {
        build(env, config, source, sinks, UnaryOperator.identity());
    }

    /**
     * {@link #build(StreamExecutionEnvironment, JobConfig, Source, JobSinks)} with {@code beforeSessions}
     * applied to the decoded events right before they are keyed (tests use it to inject a failure mid-stream).
     */
    public static void build(StreamExecutionEnvironment env, JobConfig config, Source<DecodedRecord, ?, ?> source,
            JobSinks sinks, UnaryOperator<DataStream<WebEvent>> beforeSessions) {
        configure(env, config);
        SingleOutputStreamOperator<WebEvent> events = decode(env, config, source);

        events.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .name("kafka " + config.deadLetterTopic)
                .uid("kafka-dead-letter-sink");

        DataStream<WebEvent> decoded = beforeSessions.apply(events);
        SingleOutputStreamOperator<WebEvent> guarded = decoded
                .keyBy(e -> e.visitorId, Types.STRING)
                .transform("guard sessions", decoded.getType(),
                        new RecentValuesOperator<>(new GuardSessions(guardedFor(config), config.sessionMaxEvents)))
                .uid("guard-sessions");
        SingleOutputStreamOperator<DocumentWrite> writes = sessionize(guarded, config);

        DataStream<LateEvent> lateSessionEvents = writes.getSideOutput(Sessionize.TOO_LATE)
                .process(DescribeLateEvents.forSessions(config.sessionGap, config.allowedLateness))
                .name("describe late events")
                .uid("describe-late-events");

        DataStream<DocumentWrite> released = writes;
        if (!config.checkpointInterval.isZero()) {
            released = writes
                    .transform("release on checkpoint", writes.getType(), new ReleaseOnCheckpoint<>(writes.getType()))
                    .uid("release-writes-on-checkpoint");
        }
        released.sinkTo(sinks.sessions())
                .name("elasticsearch " + Indices.SESSIONS)
                .uid("elasticsearch-sessions-sink");

        SingleOutputStreamOperator<PageWindowSummary> pageSummaries = pageSummaries(guarded, config);
        DataStream<LateEvent> latePageViews = pageSummaries.getSideOutput(LATE_PAGE_VIEWS)
                .map(PageView::toEvent, TypeInformation.of(WebEvent.class))
                .name("late page views")
                .uid("late-page-views")
                .process(DescribeLateEvents.forPages(config.pagesWindow, config.sessionGap.plus(config.allowedLateness)))
                .name("describe late page views")
                .uid("describe-late-page-views");
        pageTotals(pageSummaries, config)
                .sinkTo(sinks.pages())
                .name("elasticsearch " + Indices.PAGES)
                .uid("elasticsearch-pages-sink");

        lateSessionEvents
                .union(guarded.getSideOutput(GuardSessions.OVER_LIMIT), latePageViews)
                .sinkTo(sinks.lateEvents())
                .name("kafka " + config.lateTopic)
                .uid("kafka-late-sink");
    }

    /** What the job sets on {@code env}: serializers, object reuse, key groups, parallelism, checkpoints. */
    public static void configure(StreamExecutionEnvironment env, JobConfig config) {
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
    }

    /** The events of {@code source}, with event-time watermarks; bad records to {@link SplitDeadLetters#DEAD_LETTERS}. */
    public static SingleOutputStreamOperator<WebEvent> decode(StreamExecutionEnvironment env, JobConfig config,
            Source<DecodedRecord, ?, ?> source) {
        return env
                .fromSource(source, SessionWatermarks.strategy(config.outOfOrderness, config.idleTimeout), "kafka " + config.topic)
                .uid("kafka-web-log-source")
                .process(new SplitDeadLetters(), WebEventSerializer.TYPE)
                .name("split dead letters")
                .uid("split-dead-letters");
    }

    /**
     * Page statistics, first step: page views only, summarized per page and tumbling event-time page window for a
     * moment, before the shuffle by page (each {@code eventId} once: the guard in front drops copies, {@link #guardedFor}). A page window accepts
     * what the session windows accept (lateness up to gap + allowed lateness), so both count the same events; later
     * page views go to {@link #LATE_PAGE_VIEWS}.
     */
    public static SingleOutputStreamOperator<PageWindowSummary> pageSummaries(DataStream<WebEvent> events, JobConfig config) {
        return events
                .flatMap(new ToPageViews())
                .name("page views")
                .uid("page-views")
                .transform("summarize page views", TypeInformation.of(PageWindowSummary.class),
                        new SummarizePageViews(config.pagesWindow, config.sessionGap.plus(config.allowedLateness),
                                LATE_PAGE_VIEWS, PAGE_VIEW_BATCH_DELAY, PAGE_VIEW_BATCH_SIZE))
                .uid(SUMMARIZE_PAGE_VIEWS);
    }

    /**
     * How long after a visitor's latest event the guard remembers its event ids: until every window that could still
     * take a copy of one is late. A session window is purged gap + allowed lateness after its last event; a page
     * window (lateness gap + allowed lateness) is late up to one page window later, as it ends after its events.
     */
    static Duration guardedFor(JobConfig config) {
        return config.sessionGap.plus(config.allowedLateness).plus(config.pagesWindow);
    }

    /** Page statistics, second step: the summaries, by page, added to running totals, written as whole page documents. */
    public static SingleOutputStreamOperator<DocumentWrite> pageTotals(DataStream<PageWindowSummary> summaries, JobConfig config) {
        return summaries
                .keyBy(s -> s.pageKey, Types.STRING)
                .transform("page totals", DocumentWrite.TYPE, new RecentValuesOperator<>(
                        new PageTotals(Indices.PAGES, config.pagesFlushInterval, config.pagesIdleTimeout, WALL_CLOCK)))
                .uid(PAGE_TOTALS);
    }

    /** Sessions per visitor and the document writes of each; too-late events to {@link Sessionize#TOO_LATE}. */
    public static SingleOutputStreamOperator<DocumentWrite> sessionize(DataStream<WebEvent> guarded, JobConfig config) {
        // Still partitioned by visitor after the guard: the sessions chain to it instead of shuffling again.
        return DataStreamUtils
                .reinterpretAsKeyedStream(guarded, e -> e.visitorId, Types.STRING)
                .transform("sessionize", DocumentWrite.TYPE, new RecentValuesOperator<>(
                        new Sessionize(config.sessionGap, config.allowedLateness, config.sessionLiveInterval,
                                config.outOfOrderness, config.sessionsIndex, config.versionClock(),
                                new Engagement(config.conversionTypes))))
                .uid(SESSIONIZE);
    }
}
