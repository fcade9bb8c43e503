package io.webpipe.job.session;

import io.webpipe.net.IpAddress;

/** Anonymises client addresses for the session document: IPv4 keeps its /24 (last octet zeroed), IPv6 its /48. */
public final class IpAnonymizer {
    static final int IPV4_PREFIX = 24;
    static final int IPV6_PREFIX = 48;

    private IpAnonymizer() {}

    /** The anonymised address, or null when the input (trimmed) is not an IP literal; never a DNS lookup. */
    public static String anonymize(String ip) {
        IpAddress address = ip == null ? null : IpAddress.parse(ip.trim());
        if (address == null) {
            return null;
        }
        return address.prefix(address.isIpv4() ? IPV4_PREFIX : IPV6_PREFIX).toString();
    }
}
