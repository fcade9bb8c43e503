package io.webpipe.job.source;

import io.webpipe.schema.EventContract;
import io.webpipe.schema.WebEvent;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes each record with {@link EventContract}; never throws, a bad record becomes a {@link DeadLetter}.
 *
 * <p>Beyond the contract, two things Elasticsearch or event time could not take are rejected too:
 * an event time too far in the future (one such event would push event time ahead of all real
 * traffic and make every later event "too late"), and ids longer than {@link #MAX_ID_LENGTH}
 * (Elasticsearch refuses keyword terms that large, which would stop the sink).
 */
public class WebLogDeserializer implements KafkaRecordDeserializationSchema<DecodedRecord> {
    private static final long serialVersionUID = 1L;
    /** Elasticsearch dates are read as years 0000-9999. */
    private static final long EARLIEST = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();

    public static final int MAX_ID_LENGTH = 1024;

    private final long maxFutureMs;

    /** @param maxFuture how far ahead of this machine's clock an event time may be (clock skew) */
    public WebLogDeserializer(Duration maxFuture) {
        this.maxFutureMs = maxFuture.toMillis();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
        EventContract.Decoded decoded = EventContract.decode(record.value());
        String reason = decoded.isAccepted() ? check(decoded.event()) : decoded.reason();
        out.collect(reason == null
                ? DecodedRecord.accepted(decoded.event())
                : DecodedRecord.rejected(new DeadLetter(reason, record.topic(), record.partition(), record.offset(), record.value())));
    }

    private String check(WebEvent event) {
        String reason = checkLength(EventContract.EVENT_ID, event.eventId);
        if (reason == null) reason = checkLength(EventContract.VISITOR_ID, event.visitorId);
        if (reason == null) reason = checkLength(EventContract.USER_ID, event.userId);
        return reason == null ? checkTime(event.timestamp) : reason;
    }

    private static String checkLength(String field, String value) {
        return value != null && value.length() > MAX_ID_LENGTH
                ? "field '" + field + "' is longer than " + MAX_ID_LENGTH + " characters"
                : null;
    }

    private String checkTime(long timestamp) {
        long latest = System.currentTimeMillis() + maxFutureMs;
        if (timestamp < EARLIEST || timestamp > latest) {
            return "timestamp out of range: " + timestamp + " is before year 0000 or more than "
                    + Duration.ofMillis(maxFutureMs) + " in the future";
        }
        return null;
    }

    @Override
    public TypeInformation<DecodedRecord> getProducedType() {
        return TypeInformation.of(DecodedRecord.class);
    }
}
