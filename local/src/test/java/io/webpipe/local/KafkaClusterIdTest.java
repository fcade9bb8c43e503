package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes started at the same moment agree on one cluster id, and keep it. */
class KafkaClusterIdTest {

    @Test
    void nodesStartingTogetherAllGetTheIdTheFirstOneCreated(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data").resolve("kafka-cluster.id");
        ExecutorService nodes = Executors.newFixedThreadPool(3);
        try {
            List<Callable<String>> starts = IntStream.range(0, 3).<Callable<String>>mapToObj(i -> () -> KafkaClusterId.readOrCreate(file)).toList();
            List<String> ids = nodes.invokeAll(starts).stream().map(KafkaClusterIdTest::get).toList();

            assertThat(ids).hasSize(3).containsOnly(ids.get(0));
            assertThat(Uuid.fromString(ids.get(0))).isNotNull();
            assertThat(KafkaClusterId.readOrCreate(file)).as("a later start").isEqualTo(ids.get(0));
            try (var files = Files.list(file.getParent())) {
                assertThat(files.map(p -> p.getFileName().toString())).as("nothing left behind").containsExactly("kafka-cluster.id");
            }
        } finally {
            nodes.shutdownNow();
        }
    }

    private static String get(Future<String> id) {
        try {
            return id.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
