package io.webpipe.job.source;

import io.webpipe.schema.EventContract;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes each record with {@link EventContract}; never throws, a bad record becomes a {@link DeadLetter}.
 *
 * <p>Beyond the contract, an event time too far in the future is rejected too: a single such event
 * would push event time ahead of all real traffic and make every later event "too late".
 */
public class WebLogDeserializer implements KafkaRecordDeserializationSchema<DecodedRecord> {
    private static final long serialVersionUID = 1L;
    /** Elasticsearch dates are read as years 0000-9999. */
    private static final long EARLIEST = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();

    private final long maxFutureMs;

    /** @param maxFuture how far ahead of this machine's clock an event time may be (clock skew) */
    public WebLogDeserializer(Duration maxFuture) {
        this.maxFutureMs = maxFuture.toMillis();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
        EventContract.Decoded decoded = EventContract.decode(record.value());
        String reason = decoded.isAccepted() ? checkTime(decoded.event().timestamp) : decoded.reason();
        out.collect(reason == null
                ? DecodedRecord.accepted(decoded.event())
                : DecodedRecord.rejected(new DeadLetter(reason, record.topic(), record.partition(), record.offset(), record.value())));
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
