package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

    @Test
    void readsIpv4AndIpv6RowsOfProcNet() throws Exception {
        assertThat(ListeningSockets.address("0100007F:1F90"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080));
        assertThat(ListeningSockets.address("0000000000000000FFFF00000100007F:4A94"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 19092));
        assertThat(ListeningSockets.address("00000000000000000000000001000000:0050"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 80));
        assertThat(ListeningSockets.address("00000000000000000000000000000000:0050").getAddress().isAnyLocalAddress())
                .isTrue();
    }

    /** The check the binding tests rely on sees a socket open to every interface, and which one is which. */
    @Test
    void findsTheListeningSocketsOfAProcess() throws Exception {
        try (ServerSocket everywhere = new ServerSocket(0);
                ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(ListeningSockets.of(ProcessHandle.current().pid()))
                    .anySatisfy(address -> {
                        assertThat(address.getPort()).isEqualTo(everywhere.getLocalPort());
                        assertThat(address.getAddress().isAnyLocalAddress()).isTrue();
                    })
                    .anySatisfy(address -> {
                        assertThat(address.getPort()).isEqualTo(loopback.getLocalPort());
                        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
                    });
        }
    }
}
