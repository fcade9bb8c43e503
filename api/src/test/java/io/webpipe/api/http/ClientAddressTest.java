package io.webpipe.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private final ClientAddress trusted = new ClientAddress(List.of("10.0.0.0/8", "192.0.2.1", "2001:db8::/32"));

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(new ClientAddress(List.of()).resolve("10.1.1.1", "203.0.113.9")).isEqualTo("10.1.1.1");
    }

    @Test
    void anUntrustedPeerCannotClaimAnAddress() {
        assertThat(trusted.resolve("198.51.100.7", "203.0.113.9")).isEqualTo("198.51.100.7");
    }

    @Test
    void walksBackThroughTrustedHopsToTheFirstUntrustedOne() {
        assertThat(trusted.resolve("192.0.2.1", "203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(trusted.resolve("10.0.0.5", "6.6.6.6, 203.0.113.9, 10.2.3.4")).isEqualTo("203.0.113.9");
        assertThat(trusted.resolve("2001:db8::1", "2001:db8:1::5, 2a00:1450::1")).isEqualTo("2a00:1450::1");
    }

    @Test
    void garbageInTheHeaderStopsTheWalk() {
        assertThat(trusted.resolve("10.0.0.5", "evil.example.com")).isEqualTo("10.0.0.5");
        assertThat(trusted.resolve("10.0.0.5", "203.0.113.9, 300.1.1.1")).isEqualTo("10.0.0.5");
        assertThat(trusted.resolve("10.0.0.5", "1.2.3.4, unknown, 10.9.9.9")).isEqualTo("10.9.9.9");
    }

    @Test
    void anIpv4MappedPeerIsItsIpv4Address() {
        assertThat(trusted.resolve("::ffff:10.0.0.5", "203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(trusted.resolve("10.0.0.5", "203.0.113.9, ::ffff:10.2.3.4")).isEqualTo("203.0.113.9");
    }

    @Test
    void namesZoneIdsAndEmptyHopsAreNeverTrustedNorLookedUp() {
        ClientAddress loopback = new ClientAddress(List.of("127.0.0.0/8", "::1", "fe80::/10"));
        assertThat(loopback.resolve("localhost", "203.0.113.9")).isEqualTo("localhost");
        assertThat(loopback.resolve("fe80::1%eth0", "203.0.113.9")).isEqualTo("fe80::1%eth0");
        assertThat(loopback.resolve("127.0.0.1", "fe80::1%eth0")).isEqualTo("127.0.0.1");
        assertThat(loopback.resolve("127.0.0.1", "203.0.113.9, ")).isEqualTo("127.0.0.1");
        assertThat(loopback.resolve("127.0.0.1", "")).isEqualTo("127.0.0.1");
        assertThat(loopback.resolve("::1", "2001:db8::7")).isEqualTo("2001:db8::7");
    }

    @Test
    void refusesBadConfiguration() {
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.internal"))).hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).hasMessageContaining("33");
        assertThatThrownBy(() -> new ClientAddress(List.of("fe80::/10%eth0"))).hasMessageContaining("fe80::/10%eth0");
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/x"))).hasMessageContaining("trusted proxy '10.0.0.0/x'");
    }
}
