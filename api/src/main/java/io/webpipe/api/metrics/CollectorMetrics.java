package io.webpipe.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * What the collector did with what it was sent: {@code webpipe_collector_events_total} by {@code outcome}
 * (the answer's {@code accepted}, {@code rejected} and {@code failed}), requests refused by the rate limit
 * ({@code webpipe_collector_rate_limited_total}), and the failed events again by the producer's {@code kind}
 * of error ({@code webpipe_collector_producer_errors_total}).
 */
public final class CollectorMetrics {
    static final String EVENTS = "webpipe.collector.events";
    static final String RATE_LIMITED = "webpipe.collector.rate.limited";
    static final String PRODUCER_ERRORS = "webpipe.collector.producer.errors";

    /** Why Kafka did not confirm an event: the label values of {@code webpipe_collector_producer_errors_total}. */
    public enum ProducerError {
        /** The producer refused the record at once (no metadata in time, producer closed). */
        REFUSED,
        /** Kafka answered that it did not store the record. */
        NOT_STORED,
        /** No acknowledgement within {@code kafka.publish-timeout}. */
        TIMEOUT,
        /** The request thread was interrupted while waiting. */
        INTERRUPTED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter failed;
    private final Counter rateLimited;

    public CollectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = events(registry, "accepted");
        this.rejected = events(registry, "rejected");
        this.failed = events(registry, "failed");
        this.rateLimited = Counter.builder(RATE_LIMITED).description("collector requests answered 429 by the rate limit")
                .register(registry);
        for (ProducerError kind : ProducerError.values()) {
            producerErrors(kind); // every kind from the start, at 0: rate() needs a series before the first error
        }
    }

    private static Counter events(MeterRegistry registry, String outcome) {
        return Counter.builder(EVENTS).description("collector events by outcome: accepted (stored in Kafka), rejected (refused "
                + "by the event contract), failed (valid, not confirmed by Kafka)").tag("outcome", outcome).register(registry);
    }

    private Counter producerErrors(ProducerError kind) {
        return Counter.builder(PRODUCER_ERRORS).description("events Kafka did not confirm, by kind of error")
                .tag("kind", kind.label()).register(registry);
    }

    /** Counts one collector answer. */
    public void events(int acceptedEvents, int rejectedEvents, int failedEvents) {
        accepted.increment(acceptedEvents);
        rejected.increment(rejectedEvents);
        failed.increment(failedEvents);
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    public void producerError(ProducerError kind) {
        producerErrors(kind).increment();
    }
}
