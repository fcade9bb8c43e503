package io.webpipe.job.rebuild;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a topic retains, per partition: the earliest offset Kafka still holds and the end offset when it was
 * looked at. A bounded run reads exactly this range; its progress is its consumer group's committed offsets in it.
 */
record LogExtent(String topic, Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> end) {

    /** The topic's range as of now. */
    static LogExtent of(Admin admin, String topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get()
                .get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.earliest()));
        Map<TopicPartition, Long> earliest = offsets(admin, partitions);
        Map<TopicPartition, Long> end = offsets(admin, partitions.keySet().stream()
                .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest())));
        return new LogExtent(topic, earliest, end);
    }

    /** Records in the range. */
    long records() {
        return end.keySet().stream().mapToLong(p -> end.get(p) - earliest.get(p)).sum();
    }

    /** Records of the range that {@code group} has committed as read (Flink commits them on each checkpoint). */
    long read(Admin admin, String group) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return end.keySet().stream().mapToLong(p -> {
            OffsetAndMetadata at = committed.get(p);
            return at == null ? 0 : Math.min(end.get(p), Math.max(at.offset(), earliest.get(p))) - earliest.get(p);
        }).sum();
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Map<TopicPartition, OffsetSpec> specs)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin.listOffsets(specs).all().get();
        return found.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
