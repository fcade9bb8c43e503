package io.webpipe.job.source;

import io.webpipe.schema.WebEvent;

/**
 * One {@code web-log} record after decoding: either an accepted {@link #event} or a rejected
 * record (its original bytes and the reason). The source emits these so that event time and
 * watermarks are taken per Kafka partition, before dead letters are split off. A Flink POJO.
 */
public class DecodedRecord {
    /** The accepted event, or null when the record was rejected. */
    public WebEvent event;
    /** Set only for rejected records. */
    public DeadLetter deadLetter;

    public DecodedRecord() {}

    public static DecodedRecord accepted(WebEvent event) {
        DecodedRecord r = new DecodedRecord();
        r.event = event;
        return r;
    }

    public static DecodedRecord rejected(DeadLetter deadLetter) {
        DecodedRecord r = new DecodedRecord();
        r.deadLetter = deadLetter;
        return r;
    }

    public boolean isAccepted() {
        return event != null;
    }
}
