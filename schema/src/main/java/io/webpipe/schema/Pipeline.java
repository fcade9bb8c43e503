package io.webpipe.schema;

import java.util.Map;

/**
 * Names of the running pipeline that its parts (collector, job, API, stack) all use, defined once. A component's
 * defaults resource refers to them as {@code ${topic.events}}, {@code ${alias.sessions}}, ... (see {@link #NAMES}),
 * so a topic or alias is named in this class only.
 */
public final class Pipeline {
    /** The name the Flink job runs under: the Web UI, the stack's {@code up}, {@code status} and {@code down}. */
    public static final String JOB_NAME = "webpipe sessions";
    /** The events the collector accepted: the job's input. */
    public static final String EVENTS_TOPIC = "web-log";
    /** Records the job could not decode or Elasticsearch refused, each with its reason. */
    public static final String DEAD_LETTERS_TOPIC = "web-log-dlq";
    /** Events set aside as too late (or over a session's limit), each with its reason. */
    public static final String LATE_EVENTS_TOPIC = "web-log-late";

    /** The names a defaults resource may refer to as {@code ${name}}. */
    public static final Map<String, String> NAMES = Map.of(
            "topic.events", EVENTS_TOPIC,
            "topic.dead-letters", DEAD_LETTERS_TOPIC,
            "topic.late-events", LATE_EVENTS_TOPIC,
            "alias.sessions", Indices.SESSIONS,
            "alias.pages", Indices.PAGES,
            "job.name", JOB_NAME);

    private Pipeline() {}
}
