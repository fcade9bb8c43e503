package io.webpipe.job.source;

import io.webpipe.schema.EventContract;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Something the pipeline set aside, with the reason, as written to the dead-letter topic (JSON; a
 * Flink POJO). A refused input record carries its topic, partition and offset; a document that
 * Elasticsearch refused carries its index and id instead.
 *
 * <p>Bounded whatever was set aside: {@link #value} (base64 in JSON) holds the original bytes only
 * up to {@link #MAX_VALUE_BYTES}; a larger original is represented by its {@link #size}, its
 * {@link #sha256} and a UTF-8 {@link #excerpt} of its start, so a dead letter always fits a Kafka
 * record.
 */
public class DeadLetter {
    /** Originals up to this size are kept whole (base64 makes them 4/3 as large). */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    /** The start of a larger original kept as text. */
    public static final int EXCERPT_BYTES = 2048;
    /** Reasons quote the input at times: never more than this. */
    public static final int MAX_REASON_LENGTH = 1024;

    public String reason;
    public String topic;
    public int partition;
    public long offset;
    /** For a refused document: where it was to be written. */
    public String index;
    public String id;
    /** The original bytes, when at most {@link #MAX_VALUE_BYTES}; else null. */
    public byte[] value;
    /** Size of the original in bytes. */
    public int size;
    /** SHA-256 of the original, hex. */
    public String sha256;
    /** The start of an original too large to keep whole; else null. */
    public String excerpt;

    public DeadLetter() {}

    /** A record of an input topic that broke the contract. */
    public static DeadLetter ofRecord(String reason, String topic, int partition, long offset, byte[] value) {
        DeadLetter d = of(reason, value);
        d.topic = topic;
        d.partition = partition;
        d.offset = offset;
        return d;
    }

    /** A document that Elasticsearch refused for good. */
    public static DeadLetter ofDocument(String reason, String index, String id, byte[] source) {
        DeadLetter d = of(reason, source);
        d.index = index;
        d.id = id;
        return d;
    }

    private static DeadLetter of(String reason, byte[] original) {
        DeadLetter d = new DeadLetter();
        d.reason = EventContract.cut(reason, MAX_REASON_LENGTH);
        byte[] bytes = original == null ? new byte[0] : original;
        d.size = bytes.length;
        d.sha256 = sha256(bytes);
        if (bytes.length <= MAX_VALUE_BYTES) {
            d.value = bytes;
        } else {
            d.excerpt = new String(Arrays.copyOf(bytes, EXCERPT_BYTES), StandardCharsets.UTF_8);
        }
        return d;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "DeadLetter{" + (index != null ? index + "/" + id : topic + "-" + partition + "@" + offset) + ": " + reason + "}";
    }
}
