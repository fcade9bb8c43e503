package io.webpipe.api.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The address of the client behind a request. {@code X-Forwarded-For} is believed only when the
 * TCP peer is a trusted proxy, and then only up to the first hop that is not trusted: anyone can
 * write that header, so an untrusted hop's claims are ignored.
 */
public final class ClientAddress {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private final List<byte[][]> trusted = new ArrayList<>(); // {network, mask}

    /** @param trustedProxies IPs or CIDR ranges ("10.0.0.0/8", "::1") */
    public ClientAddress(List<String> trustedProxies) {
        for (String entry : trustedProxies) {
            String[] parts = entry.split("/", 2);
            byte[] network = parse(parts[0]);
            if (network == null) {
                throw new IllegalArgumentException("trusted proxy '" + entry + "' is not an IP address or CIDR range");
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            trusted.add(new byte[][] {network, mask(network.length, bits)});
        }
    }

    /** The client IP of a request. */
    public String of(spark.Request req) {
        return resolve(req.raw().getRemoteAddr(), req.headers("X-Forwarded-For"));
    }

    /** The client IP for a request from {@code peer} with the given X-Forwarded-For header (may be null). */
    public String resolve(String peer, String forwardedFor) {
        String client = peer;
        if (forwardedFor == null || !isTrusted(peer)) {
            return client;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (parse(hop) == null) {
                break; // garbage in the header: stay with the last address we could check
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    private boolean isTrusted(String ip) {
        byte[] address = parse(ip);
        if (address == null) {
            return false;
        }
        for (byte[][] range : trusted) {
            byte[] network = range[0];
            byte[] mask = range[1];
            if (network.length != address.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < address.length && match; i++) {
                match = (address[i] & mask[i]) == (network[i] & mask[i]);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IP literal, or null; never a DNS lookup. */
    static byte[] parse(String s) {
        if (s == null || s.isEmpty() || !IP_LITERAL.matcher(s).matches()) {
            return null;
        }
        if (!s.contains(":")) {
            return parseIpv4(s);
        }
        try {
            return InetAddress.getByName(s).getAddress(); // a literal with ':' is never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] parseIpv4(String s) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (octets[i].isEmpty() || octets[i].length() > 3 || !octets[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int n = Integer.parseInt(octets[i]);
            if (n > 255) {
                return null;
            }
            address[i] = (byte) n;
        }
        return address;
    }

    private static byte[] mask(int length, int bits) {
        if (bits < 0 || bits > length * 8) {
            throw new IllegalArgumentException("prefix length " + bits + " out of range");
        }
        byte[] mask = new byte[length];
        for (int i = 0; i < length; i++) {
            int b = Math.min(8, Math.max(0, bits - i * 8));
            mask[i] = (byte) (0xff << (8 - b));
        }
        return mask;
    }
}
