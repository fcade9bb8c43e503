package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The server.properties of a node: alone, or one of three sharing a controller quorum. */
class KafkaNodeConfigTest {

    @Test
    void aNodeOfThreeKnowsTheWholeQuorumAndReplicatesOnAllThreeWithTwoInSync() {
        Map<String, String> config = KafkaNodeConfig.of(2, 19092, List.of(9093, 19093, 29093), Path.of("/data/kafka-2/storage"));

        assertThat(config).containsAllEntriesOf(Map.ofEntries(
                Map.entry("node.id", "2"),
                Map.entry("process.roles", "broker,controller"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:9093,2@127.0.0.1:19093,3@127.0.0.1:29093"),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092"),
                Map.entry("log.dirs", "/data/kafka-2/storage"),
                Map.entry("default.replication.factor", "3"),
                Map.entry("min.insync.replicas", "2"),
                Map.entry("offsets.topic.replication.factor", "3"),
                Map.entry("transaction.state.log.replication.factor", "3"),
                Map.entry("transaction.state.log.min.isr", "2"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.partitions", "3"),
                Map.entry("log.retention.hours", "168")));
    }

    @Test
    void aSingleNodeReplicatesOnItselfOnly() {
        Map<String, String> config = KafkaNodeConfig.of(1, 9092, List.of(40000), Path.of("/data/kafka/storage"));

        assertThat(config).containsEntry("controller.quorum.voters", "1@127.0.0.1:40000")
                .containsEntry("default.replication.factor", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1");
    }

    @Test
    void aNodeOutsideTheQuorumIsRefused() {
        assertThatThrownBy(() -> KafkaNodeConfig.of(4, 9092, List.of(9093, 19093, 29093), Path.of("/data")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Node 4 of a cluster of 3");
    }
}
