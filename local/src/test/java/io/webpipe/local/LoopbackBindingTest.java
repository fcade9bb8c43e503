package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Neither server asks for credentials, so every port of each (also those it picks itself) is on loopback only. */
@ExtendWith(LocalInfra.class)
class LoopbackBindingTest {

    @Test
    void kafkaListensOnLoopbackOnly(KafkaBroker kafka) {
        // The client listener and the KRaft controller listener.
        assertThat(ListeningSockets.of(kafka.pid()))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(LoopbackBindingTest::isOnLoopback);
    }

    @Test
    void elasticsearchListensOnLoopbackOnly(ElasticsearchNode elasticsearch) {
        // HTTP and transport.
        assertThat(ListeningSockets.of(elasticsearch.pid()))
                .hasSizeGreaterThanOrEqualTo(2)
                .anySatisfy(address -> assertThat(address.getPort()).isEqualTo(elasticsearch.httpPort()))
                .allSatisfy(LoopbackBindingTest::isOnLoopback);
    }

    private static void isOnLoopback(InetSocketAddress address) {
        assertThat(address.getAddress().isLoopbackAddress()).as("%s is on loopback", address).isTrue();
    }
}
