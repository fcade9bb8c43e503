package io.webpipe.net;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address read from its literal text, strictly and never by a name lookup: the text
 * comes from request headers and event fields, and {@code InetAddress.getByName} resolves whatever
 * is not a literal, so a client could make the process query DNS.
 *
 * <p>IPv4 is four decimal octets (ASCII digits only). IPv6 is eight hex groups, one {@code ::} for a
 * run of zero groups, and optionally a dotted IPv4 address as the last 32 bits. An IPv4-mapped IPv6
 * address ({@code ::ffff:10.1.2.3}) is its IPv4 address: dual-stack sockets report IPv4 clients so.
 * Zone ids ({@code fe80::1%eth0}) and brackets are refused: a zone names an interface of the host
 * that wrote it, not part of an address.
 */
public final class IpAddress {
    private static final int IPV4_BYTES = 4;
    private static final int IPV6_BYTES = 16;
    /** The IPv4-mapped IPv6 prefix {@code ::ffff:0:0/96}. */
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The address written in {@code text}, or null when {@code text} is not exactly an IP literal. */
    public static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            byte[] v4 = parseIpv4(text);
            return v4 == null ? null : new IpAddress(v4);
        }
        byte[] v6 = parseIpv6(text);
        if (v6 == null) {
            return null;
        }
        return Arrays.equals(v6, 0, MAPPED_PREFIX.length, MAPPED_PREFIX, 0, MAPPED_PREFIX.length)
                ? new IpAddress(Arrays.copyOfRange(v6, MAPPED_PREFIX.length, IPV6_BYTES))
                : new IpAddress(v6);
    }

    public boolean isIpv4() {
        return bytes.length == IPV4_BYTES;
    }

    /** 32 for IPv4, 128 for IPv6. */
    public int bitLength() {
        return bytes.length * 8;
    }

    /** The address with every bit after the first {@code bits} zeroed: its network of that prefix length. */
    public IpAddress prefix(int bits) {
        if (bits < 0 || bits > bitLength()) {
            throw new IllegalArgumentException("prefix length " + bits + " is not between 0 and " + bitLength());
        }
        byte[] network = bytes.clone();
        for (int i = 0; i < network.length; i++) {
            int kept = Math.min(8, Math.max(0, bits - i * 8));
            network[i] &= (byte) (0xff << (8 - kept));
        }
        return new IpAddress(network);
    }

    /** The address bytes, network order (4 or 16). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Dotted decimal, or eight hex groups without {@code ::} compression: the form
     * {@code InetAddress.getHostAddress} gives, which the session documents already hold.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (isIpv4()) {
            for (byte b : bytes) {
                s.append(s.length() == 0 ? "" : ".").append(b & 0xff);
            }
        } else {
            for (int i = 0; i < IPV6_BYTES; i += 2) {
                s.append(i == 0 ? "" : ":").append(Integer.toHexString((bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff)));
            }
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress && Arrays.equals(bytes, ((IpAddress) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    private static byte[] parseIpv4(String s) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != IPV4_BYTES) {
            return null;
        }
        byte[] address = new byte[IPV4_BYTES];
        for (int i = 0; i < IPV4_BYTES; i++) {
            String octet = octets[i];
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int n = Integer.parseInt(octet);
            if (n > 255) {
                return null;
            }
            address[i] = (byte) n;
        }
        return address;
    }

    private static byte[] parseIpv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null; // two gaps would be ambiguous (this also refuses ":::")
        }
        int[] head = words(gap < 0 ? s : s.substring(0, gap), gap < 0);
        int[] tail = gap < 0 ? new int[0] : words(s.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int given = head.length + tail.length;
        if (gap < 0 ? given != 8 : given > 7) {
            return null; // "::" stands for at least one zero group
        }
        byte[] address = new byte[IPV6_BYTES];
        put(address, 0, head);
        put(address, IPV6_BYTES - 2 * tail.length, tail);
        return address;
    }

    /**
     * The 16-bit words of colon-separated hex groups, or null; when {@code endsAddress} the last
     * group may be a dotted IPv4 address (two words).
     */
    private static int[] words(String part, boolean endsAddress) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] groups = part.split(":", -1);
        int[] words = new int[groups.length + 1];
        int n = 0;
        for (int i = 0; i < groups.length; i++) {
            String group = groups[i];
            if (endsAddress && i == groups.length - 1 && group.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(group);
                if (v4 == null) {
                    return null;
                }
                words[n++] = (v4[0] & 0xff) << 8 | (v4[1] & 0xff);
                words[n++] = (v4[2] & 0xff) << 8 | (v4[3] & 0xff);
            } else {
                int word = hexWord(group);
                if (word < 0) {
                    return null;
                }
                words[n++] = word;
            }
        }
        return Arrays.copyOf(words, n);
    }

    /** One to four ASCII hex digits as a number, else -1. */
    private static int hexWord(String group) {
        if (group.isEmpty() || group.length() > 4) {
            return -1;
        }
        int word = 0;
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            word = word << 4 | digit;
        }
        return word;
    }

    private static void put(byte[] address, int offset, int[] words) {
        for (int i = 0; i < words.length; i++) {
            address[offset + 2 * i] = (byte) (words[i] >> 8);
            address[offset + 2 * i + 1] = (byte) words[i];
        }
    }
}
