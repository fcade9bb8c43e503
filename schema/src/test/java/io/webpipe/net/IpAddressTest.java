package io.webpipe.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpAddressTest {

    @Test
    void readsIpv4AndIpv6Literals() {
        assertThat(IpAddress.parse("203.0.113.57")).hasToString("203.0.113.57");
        assertThat(IpAddress.parse("0.0.0.0").isIpv4()).isTrue();
        assertThat(IpAddress.parse("2001:db8:abcd:12:34::1")).hasToString("2001:db8:abcd:12:34:0:0:1");
        assertThat(IpAddress.parse("2001:DB8::1")).hasToString("2001:db8:0:0:0:0:0:1");
        assertThat(IpAddress.parse("::")).hasToString("0:0:0:0:0:0:0:0");
        assertThat(IpAddress.parse("::1").isIpv4()).isFalse();
        assertThat(IpAddress.parse("1::")).hasToString("1:0:0:0:0:0:0:0");
        assertThat(IpAddress.parse("1:2:3:4:5:6:7:8")).hasToString("1:2:3:4:5:6:7:8");
        assertThat(IpAddress.parse("1:2:3:4:5:6:1.2.3.4")).hasToString("1:2:3:4:5:6:102:304");
        assertThat(IpAddress.parse("010.1.2.3")).as("leading zeros are decimal, as before").hasToString("10.1.2.3");
    }

    @Test
    void anIpv4MappedAddressIsItsIpv4Address() {
        assertThat(IpAddress.parse("::ffff:10.1.2.3")).isEqualTo(IpAddress.parse("10.1.2.3")).hasToString("10.1.2.3");
        assertThat(IpAddress.parse("::FFFF:a01:203")).isEqualTo(IpAddress.parse("10.1.2.3"));
        assertThat(IpAddress.parse("::10.1.2.3").isIpv4()).as("IPv4-compatible is not mapped").isFalse();
    }

    @Test
    void anythingButALiteralIsRefusedWithoutALookup() {
        for (String notLiteral : new String[] {
            null, "", " ", "example.com", "localhost", "evil.example.com", "unknown", "300.1.1.1", "1.2.3", "1.2.3.4.5",
            "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.-4", "+1.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1234.1.1.1", "0x7f.0.0.1",
            "١.٢.٣.٤", "１.２.３.４", "fe80::1%eth0", "fe80::1%25eth0", "::1%1", "[::1]", "[::1]:80", "1.2.3.4:80",
            ":::", "::1::", "1::2::3", ":1::", "1::2:", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7", "1::2:3:4:5:6:7:8", "12345::", "g::1", "::ｆ", "::1.2.3", "::1.2.3.400", "1.2.3.4::",
            "::1.2.3.4:5", "not:an:ip:zz", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:300.1.1.1"}) {
            assertThat(IpAddress.parse(notLiteral)).as("%s", notLiteral).isNull();
        }
    }

    @Test
    void readsWhatJavaNetReadsForEveryLiteral() throws Exception {
        for (String literal : new String[] {
            "192.168.10.77", "255.255.255.255", "::", "::1", "fe80::1", "2001:db8::", "::ffff:192.0.2.1", "::ffff:c000:201",
            "::192.0.2.1", "2001:db8:1:2:3:4:5:6", "0:0:0:0:0:ffff:1.2.3.4", "a:b::c:d", "ABCD:ef01::1"}) {
            assertThat(IpAddress.parse(literal).bytes()).as(literal).isEqualTo(InetAddress.getByName(literal).getAddress());
        }
    }

    @Test
    void aPrefixZeroesTheBitsAfterIt() {
        assertThat(IpAddress.parse("192.168.10.77").prefix(24)).hasToString("192.168.10.0");
        assertThat(IpAddress.parse("192.168.10.77").prefix(20)).hasToString("192.168.0.0");
        assertThat(IpAddress.parse("192.168.10.77").prefix(32)).hasToString("192.168.10.77");
        assertThat(IpAddress.parse("192.168.10.77").prefix(0)).hasToString("0.0.0.0");
        assertThat(IpAddress.parse("2001:db8:abcd:12:34::1").prefix(48)).hasToString("2001:db8:abcd:0:0:0:0:0");
        assertThat(IpAddress.parse("2001:db8:abcd:12:34::1").prefix(52)).hasToString("2001:db8:abcd:0:0:0:0:0");
        assertThat(IpAddress.parse("2001:db8:abcd:ffff::1").prefix(52)).hasToString("2001:db8:abcd:f000:0:0:0:0");
        assertThatThrownBy(() -> IpAddress.parse("10.0.0.1").prefix(33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpAddress.parse("::1").prefix(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv6AddressesOfOneSlash64ShareTheirPrefix() {
        IpAddress a = IpAddress.parse("2001:db8:1:2::1");
        assertThat(a.prefix(64)).isEqualTo(IpAddress.parse("2001:db8:1:2:ffff::9").prefix(64));
        assertThat(a.prefix(64)).isNotEqualTo(IpAddress.parse("2001:db8:1:3::1").prefix(64));
        assertThat(a.prefix(64).hashCode()).isEqualTo(IpAddress.parse("2001:db8:1:2:ffff::9").prefix(64).hashCode());
    }

    @Test
    void bytesAreACopy() {
        IpAddress a = IpAddress.parse("10.1.2.3");
        a.bytes()[0] = 99;
        assertThat(a).hasToString("10.1.2.3");
        assertThat(a.bitLength()).isEqualTo(32);
        assertThat(IpAddress.parse("::1").bitLength()).isEqualTo(128);
    }
}
