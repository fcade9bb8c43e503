package io.webpipe.job.source;

import io.webpipe.schema.EventContract;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Decodes each record with {@link EventContract}; never throws, a bad record becomes a {@link DeadLetter}. */
public class WebLogDeserializer implements KafkaRecordDeserializationSchema<DecodedRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
        EventContract.Decoded decoded = EventContract.decode(record.value());
        out.collect(decoded.isAccepted()
                ? DecodedRecord.accepted(decoded.event())
                : DecodedRecord.rejected(new DeadLetter(
                        decoded.reason(), record.topic(), record.partition(), record.offset(), record.value())));
    }

    @Override
    public TypeInformation<DecodedRecord> getProducedType() {
        return TypeInformation.of(DecodedRecord.class);
    }
}
