package io.webpipe.job.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The document's privacy rule; address parsing itself is tested in schema's {@code IpAddressTest}. */
class IpAnonymizerTest {

    @Test
    void keepsTheSlash24OfIpv4AndTheSlash48OfIpv6() {
        assertThat(IpAnonymizer.anonymize("203.0.113.57")).isEqualTo("203.0.113.0");
        assertThat(IpAnonymizer.anonymize(" 203.0.113.57\t")).as("trimmed").isEqualTo("203.0.113.0");
        assertThat(IpAnonymizer.anonymize("2001:db8:abcd:ffff:1:2:3:4")).isEqualTo("2001:db8:abcd:0:0:0:0:0");
        assertThat(IpAnonymizer.anonymize("::ffff:203.0.113.57")).isEqualTo("203.0.113.0");
        assertThat(IpAnonymizer.anonymize("::1")).isEqualTo("0:0:0:0:0:0:0:0");
    }

    @Test
    void anythingButALiteralIsDropped() {
        for (String notLiteral : new String[] {"", "localhost", "example.com", "fe80::1%eth0", "[::1]", "1.2.3", "0x7f.0.0.1"}) {
            assertThat(IpAnonymizer.anonymize(notLiteral)).as(notLiteral).isNull();
        }
    }
}
