package io.webpipe.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpRangeTest {

    private static boolean contains(String range, String address) {
        return IpRange.parse(range).contains(IpAddress.parse(address));
    }

    @Test
    void matchesTheAddressesOfItsPrefix() {
        assertThat(contains("10.0.0.0/8", "10.255.1.2")).isTrue();
        assertThat(contains("10.0.0.0/8", "11.0.0.1")).isFalse();
        assertThat(contains("10.1.2.3/8", "10.9.9.9")).as("host bits are ignored").isTrue();
        assertThat(contains("192.0.2.1", "192.0.2.1")).as("an address alone is its /32").isTrue();
        assertThat(contains("192.0.2.1", "192.0.2.2")).isFalse();
        assertThat(contains("0.0.0.0/0", "203.0.113.9")).isTrue();
        assertThat(contains("2001:db8::/32", "2001:db8:1::5")).isTrue();
        assertThat(contains("2001:db8::/32", "2001:db9::1")).isFalse();
        assertThat(contains("2001:db8:1:2::/64", "2001:db8:1:2:ffff::9")).isTrue();
    }

    @Test
    void familiesNeverMixButMappedAddressesAreIpv4() {
        assertThat(contains("::/0", "10.0.0.1")).isFalse();
        assertThat(contains("0.0.0.0/0", "::1")).isFalse();
        assertThat(contains("10.0.0.0/8", "::ffff:10.0.0.5")).isTrue();
    }

    @Test
    void noAddressIsInNoRange() {
        assertThat(IpRange.parse("10.0.0.0/8").contains(null)).isFalse();
        assertThat(IpRange.parse("10.0.0.0/8").contains(IpAddress.parse("example.com"))).isFalse();
    }

    @Test
    void refusesWhatIsNotARange() {
        for (String bad : new String[] {"proxy.internal", "", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "10.0.0.0/+8",
            "10.0.0.0/ 8", "10.0.0.0/8/8", "10.0.0.0/0008", "/8", "fe80::/10%eth0"}) {
            assertThatThrownBy(() -> IpRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).hasMessageContaining("33").hasMessageContaining("32");
        assertThatThrownBy(() -> IpRange.parse("::/129")).hasMessageContaining("129");
    }
}
