package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalInfra.class)
class KafkaBrokerTest {

    @Test
    void producesAndConsumesARecord(KafkaBroker kafka) throws Exception {
        kafka.createTopic("produce-consume", 3);

        Records.produce(kafka.bootstrapServers(), "produce-consume", "visitor-1", "{\"eventId\":\"e1\"}");

        List<ConsumerRecord<String, String>> records = Records.consume(kafka.bootstrapServers(), "produce-consume", 1);
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("visitor-1");
            assertThat(record.value()).isEqualTo("{\"eventId\":\"e1\"}");
        });
    }

    @Test
    void createTopicIsIdempotent(KafkaBroker kafka) throws Exception {
        kafka.createTopic("created-twice", 2);
        kafka.createTopic("created-twice", 2);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.describeTopics(Set.of("created-twice")).allTopicNames().get().get("created-twice").partitions())
                    .hasSize(2);
        }
    }

    @Test
    void doesNotCreateTopicsAutomatically(KafkaBroker kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String value = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1"))).all().get().values().iterator().next()
                    .get("auto.create.topics.enable").value();
            assertThat(value).isEqualTo("false");
        }
    }
}
