package io.webpipe.job.session;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Anonymises client addresses: IPv4 keeps /24 (last octet zeroed), IPv6 keeps /48. */
public final class IpAnonymizer {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpAnonymizer() {}

    /** The anonymised address, or null when the input is not an IP literal (never a DNS lookup). */
    public static String anonymize(String ip) {
        if (ip == null) {
            return null;
        }
        String s = ip.trim();
        var v4 = IPV4.matcher(s);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return null;
                }
            }
            return Integer.parseInt(v4.group(1)) + "." + Integer.parseInt(v4.group(2)) + "."
                    + Integer.parseInt(v4.group(3)) + ".0";
        }
        // Only hex digits, colons and dots reach InetAddress, so it parses a literal and never resolves a name.
        if (s.indexOf(':') >= 0 && IPV6_CHARS.matcher(s).matches()) {
            try {
                InetAddress address = InetAddress.getByName(s);
                byte[] bytes = address.getAddress();
                if (address instanceof Inet6Address) {
                    for (int i = 6; i < bytes.length; i++) {
                        bytes[i] = 0;
                    }
                    return InetAddress.getByAddress(bytes).getHostAddress();
                }
                // An IPv4-mapped IPv6 literal comes back as IPv4.
                bytes[3] = 0;
                return InetAddress.getByAddress(bytes).getHostAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
