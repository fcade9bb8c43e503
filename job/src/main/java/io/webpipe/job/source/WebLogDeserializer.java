package io.webpipe.job.source;

import io.webpipe.schema.EventContract;
import java.time.Clock;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes each record with the {@link EventContract} the collector applies too; never throws, a
 * bad record becomes a {@link DeadLetter}. Event times more than the contract's skew ahead of this
 * machine's clock are refused, so no record can move event time (and the watermark) past the
 * wall clock plus that skew.
 */
public class WebLogDeserializer implements KafkaRecordDeserializationSchema<DecodedRecord> {
    private static final long serialVersionUID = 1L;

    private final EventContract contract;
    private final Clock clock;

    /** @param clock the receiving clock that event times may be ahead of by the contract's skew at most */
    public WebLogDeserializer(EventContract contract, Clock clock) {
        this.contract = contract;
        this.clock = clock;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
        EventContract.Decoded decoded = contract.decode(record.value(), clock.millis());
        out.collect(decoded.isAccepted()
                ? DecodedRecord.accepted(decoded.event())
                : DecodedRecord.rejected(DeadLetter.ofRecord(decoded.reason(), record.topic(), record.partition(), record.offset(), record.value())));
    }

    @Override
    public TypeInformation<DecodedRecord> getProducedType() {
        return TypeInformation.of(DecodedRecord.class);
    }
}
