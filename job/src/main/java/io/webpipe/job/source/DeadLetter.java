package io.webpipe.job.source;

/**
 * A record of {@code web-log} that broke the event contract, as written to the dead-letter topic
 * (JSON; {@code value} holds the original bytes, base64-encoded). A Flink POJO.
 */
public class DeadLetter {
    public String reason;
    public String topic;
    public int partition;
    public long offset;
    /** The record's value exactly as it was received. */
    public byte[] value;

    public DeadLetter() {}

    public DeadLetter(String reason, String topic, int partition, long offset, byte[] value) {
        this.reason = reason;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.value = value;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + topic + "-" + partition + "@" + offset + ": " + reason + "}";
    }
}
