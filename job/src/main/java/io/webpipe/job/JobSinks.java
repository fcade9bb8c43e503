package io.webpipe.job;

import io.webpipe.job.session.LateEvent;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.source.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the pipeline writes: session documents, page documents, dead letters and late events.
 * {@link Connectors#sinks} gives Elasticsearch and Kafka; tests give collecting sinks.
 */
public record JobSinks(
        Sink<DocumentWrite> sessions,
        Sink<DocumentWrite> pages,
        Sink<DeadLetter> deadLetters,
        Sink<LateEvent> lateEvents) {}
