package io.webpipe.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The {@code server.properties} of one node of a KRaft cluster on this machine (a single node is a cluster of one):
 * every node is both broker and controller, and the controllers of all nodes form the quorum that keeps the
 * cluster's metadata (ZooKeeper's job before KRaft). Everything listens on {@link ServerMain#BIND_ADDRESS} only.
 */
final class KafkaNodeConfig {

    private KafkaNodeConfig() {}

    /**
     * Node {@code nodeId} (1-based) with its client {@code port}; {@code controllerPorts} are the controller ports of
     * all nodes, node 1's first, its own among them.
     */
    static Map<String, String> of(int nodeId, int port, List<Integer> controllerPorts, Path storage) {
        if (nodeId < 1 || nodeId > controllerPorts.size()) {
            throw new IllegalArgumentException("Node " + nodeId + " of a cluster of " + controllerPorts.size());
        }
        String host = ServerMain.BIND_ADDRESS;
        int controllerPort = controllerPorts.get(nodeId - 1);
        KafkaReplication replication = KafkaReplication.of(controllerPorts.size());
        String factor = Short.toString(replication.factor());
        String minInSync = Integer.toString(replication.minInSync());

        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(nodeId));
        config.put("controller.quorum.voters", IntStream.rangeClosed(1, controllerPorts.size())
                .mapToObj(id -> id + "@" + host + ":" + controllerPorts.get(id - 1)).collect(Collectors.joining(",")));
        config.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        // A node that dies without a word holds up its partitions (and every acks=all write to them) until the active
        // controller fences it. Kafka's defaults take up to 9 s for a broker and 2 s + an election + 9 s for the
        // active controller; on one machine 4 missed heartbeats and 1 s without the quorum leader say enough, so
        // writes resume within about 6 s, well inside the collector's 10 s answer deadline.
        config.put("broker.heartbeat.interval.ms", "1000");
        config.put("broker.session.timeout.ms", "4000");
        config.put("controller.quorum.fetch.timeout.ms", "1000");
        config.put("log.dirs", storage.toString());
        // Topics are created explicitly (the stack, the tests), never by a typo in a producer.
        config.put("auto.create.topics.enable", "false");
        config.put("num.partitions", "3");
        config.put("default.replication.factor", factor);
        config.put("min.insync.replicas", minInSync);
        config.put("offsets.topic.replication.factor", factor);
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", factor);
        config.put("transaction.state.log.min.isr", minInSync);
        config.put("transaction.state.log.num.partitions", "5");
        // Flink's exactly-once Kafka sink asks for 1 h transactions; the broker default caps them at 15 min.
        config.put("transaction.max.timeout.ms", "3600000");
        // One member per group in tests and locally: no reason to wait for more to join.
        config.put("group.initial.rebalance.delay.ms", "0");
        // Seven days, as the original cluster kept them (replays from Kafka rely on it).
        config.put("log.retention.hours", "168");
        return config;
    }
}
