package io.webpipe.job.pipeline;

import io.webpipe.job.source.DecodedRecord;
import io.webpipe.job.source.WebLogDeserializer;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.Pipeline;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Raw {@code web-log} record values as a bounded FLIP-27 source, decoded by the job's own
 * {@link WebLogDeserializer} as if read from partition 0 at offsets 0, 1, 2, … in order.
 */
public final class InMemoryWebLog {
    public static final String TOPIC = Pipeline.EVENTS_TOPIC;

    private InMemoryWebLog() {}

    public static DataGeneratorSource<DecodedRecord> of(List<byte[]> values) {
        ArrayList<byte[]> records = new ArrayList<>(values);
        WebLogDeserializer deserializer = new WebLogDeserializer(new EventContract(EventContract.DEFAULT_MAX_FUTURE_SKEW), Clock.systemUTC());
        GeneratorFunction<Long, DecodedRecord> decode = offset -> {
            List<DecodedRecord> out = new ArrayList<>(1);
            deserializer.deserialize(new ConsumerRecord<>(TOPIC, 0, offset, null, records.get(offset.intValue())),
                    new org.apache.flink.util.Collector<>() {
                        @Override
                        public void collect(DecodedRecord record) {
                            out.add(record);
                        }

                        @Override
                        public void close() {}
                    });
            return out.get(0);
        };
        return new DataGeneratorSource<>(decode, records.size(), TypeInformation.of(DecodedRecord.class));
    }
}
