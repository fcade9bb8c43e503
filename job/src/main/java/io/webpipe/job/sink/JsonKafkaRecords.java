package io.webpipe.job.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes each element as one JSON record (public fields; byte arrays base64) to a fixed topic. */
public class JsonKafkaRecords<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    /** The record key of an element, or null for none. */
    public interface KeyOf<T> extends Function<T, String>, Serializable {}

    private final String topic;
    private final KeyOf<T> keyOf;
    private transient ObjectMapper json;

    public JsonKafkaRecords(String topic, KeyOf<T> keyOf) {
        this.topic = topic;
        this.keyOf = keyOf;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = mapper();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String key = keyOf.apply(element);
        try {
            // Kafka refuses negative record timestamps, and an accepted event may be from before 1970.
            Long recordTime = timestamp == null || timestamp < 0 ? null : timestamp;
            return new ProducerRecord<>(topic, null, recordTime,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(element));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + element.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Fields only: helper getters such as {@code WebEvent#isPageView} are not part of the record. */
    static ObjectMapper mapper() {
        return JsonMapper.builder().disable(MapperFeature.AUTO_DETECT_IS_GETTERS).build();
    }
}
