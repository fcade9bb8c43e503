package io.webpipe.job;

import io.webpipe.config.Settings;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The job's effective configuration, read once from {@link Settings} (defaults in {@code webpipe-job.properties}). */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String DEFAULTS = "webpipe-job.properties";

    public final String bootstrapServers;
    public final String topic;
    public final String groupId;
    public final String deadLetterTopic;
    public final String lateTopic;
    public final boolean stopAtLatest;
    public final Duration maxFutureSkew;

    public final String elasticsearchUrl;
    public final String elasticsearchUsername;
    public final String elasticsearchPassword;
    /** Where session documents go: the alias, or one concrete version for a rebuild ({@code RebuildJob}). */
    public final String sessionsIndex;
    /** Null: versions from the wall clock; else a clock stopped at this instant (a rebuild's documents). */
    public final Instant versionsAsOf;

    public final Duration sessionGap;
    /** How often an open session's document is written early ({@code live}) while its visitor is active. */
    public final Duration sessionLiveInterval;
    public final Duration allowedLateness;
    public final Duration outOfOrderness;
    public final Duration idleTimeout;

    public final Duration pagesWindow;
    public final Duration pagesFlushInterval;
    public final Duration pagesIdleTimeout;
    public final int sessionMaxEvents;
    /** Event types that make a session engaged (GA4's conversions). */
    public final List<String> conversionTypes;

    public final Duration checkpointInterval;

    public final int bulkMaxActions;
    public final int bulkMaxSizeMb;
    public final Duration bulkInterval;
    public final Duration retryDelay;
    public final Duration retryMaxDelay;

    public final int parallelism;
    public final int maxParallelism;

    private final Map<String, String> described;

    private JobConfig(Settings s) {
        bootstrapServers = s.get("kafka.bootstrap-servers");
        topic = s.get("kafka.topic");
        groupId = s.get("kafka.group-id");
        deadLetterTopic = s.get("kafka.dlq-topic");
        lateTopic = s.get("kafka.late-topic");
        stopAtLatest = s.getBoolean("kafka.stop-at-latest");
        maxFutureSkew = s.getDuration("event.max-future-skew");
        elasticsearchUrl = s.get("elasticsearch.url");
        elasticsearchUsername = s.getOptional("elasticsearch.username");
        elasticsearchPassword = s.getOptional("elasticsearch.password");
        sessionsIndex = s.get("elasticsearch.sessions-index");
        versionsAsOf = s.getOptional("sink.versions-as-of") == null ? null : Instant.parse(s.get("sink.versions-as-of"));
        sessionGap = positive(s, "session.gap");
        sessionLiveInterval = positive(s, "session.live-interval");
        allowedLateness = s.getDuration("session.allowed-lateness");
        outOfOrderness = s.getDuration("watermark.out-of-orderness");
        idleTimeout = positive(s, "watermark.idle-timeout");
        pagesWindow = positive(s, "pages.window");
        pagesFlushInterval = positive(s, "pages.flush-interval");
        pagesIdleTimeout = positive(s, "pages.idle-timeout");
        sessionMaxEvents = s.getInt("session.max-events");
        conversionTypes = Arrays.stream(s.get("session.conversion-types").split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        checkpointInterval = s.getDuration("checkpoint.interval");
        bulkMaxActions = s.getInt("sink.bulk.max-actions");
        bulkMaxSizeMb = s.getInt("sink.bulk.max-size-mb");
        bulkInterval = s.getDuration("sink.bulk.interval");
        retryDelay = positive(s, "sink.retry.delay");
        retryMaxDelay = positive(s, "sink.retry.max-delay");
        parallelism = s.getInt("parallelism");
        maxParallelism = s.getInt("max-parallelism");
        described = s.describe();
    }

    /** Defaults, then {@code --config}/{@code WEBPIPE_CONFIG}, environment and {@code --key value} arguments. */
    public static JobConfig load(String... args) {
        return new JobConfig(Settings.load(DEFAULTS, args));
    }

    public static JobConfig load(Map<String, String> env, String... args) {
        return new JobConfig(Settings.load(DEFAULTS, args, env));
    }

    /**
     * The clock of the documents' versions and {@code updatedAt}: the wall clock, or one stopped at
     * {@link #versionsAsOf} (each rewrite of a document is still one millisecond higher than the last).
     */
    public Clock versionClock() {
        return versionsAsOf == null ? Clock.systemUTC() : Clock.fixed(versionsAsOf, ZoneOffset.UTC);
    }

    /** Every key with its effective value, secrets masked. */
    public Map<String, String> describe() {
        return described;
    }

    private static Duration positive(Settings s, String key) {
        Duration d = s.getDuration(key);
        if (d.isZero()) {
            throw new IllegalArgumentException("configuration '" + key + "' must be greater than zero");
        }
        return d;
    }
}
