package io.webpipe.local;

/**
 * How a cluster of this many brokers replicates every topic, internal ones included: on up to three brokers, and
 * with {@code acks=all} a write needs all but one of them, so one broker may be down without losing a write or
 * refusing one. One broker: factor 1, nothing to spare.
 */
record KafkaReplication(short factor, int minInSync) {

    static KafkaReplication of(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("A cluster has at least one broker, not " + brokers);
        }
        short factor = (short) Math.min(brokers, 3);
        return new KafkaReplication(factor, Math.max(1, factor - 1));
    }
}
