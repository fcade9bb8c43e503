package io.webpipe.net;

/** A CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address, read with {@link IpAddress}. */
public final class IpRange {
    private final IpAddress network;
    private final int bits;

    private IpRange(IpAddress network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** The range written as {@code address[/prefix-length]}; host bits after the prefix are ignored. */
    public static IpRange parse(String text) {
        String[] parts = text.split("/", 2);
        IpAddress address = IpAddress.parse(parts[0]);
        if (address == null || (parts.length == 2 && !parts[1].matches("[0-9]{1,3}"))) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
        }
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.bitLength();
        if (bits > address.bitLength()) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length of " + bits + ", more than the "
                    + address.bitLength() + " bits of its address");
        }
        return new IpRange(address.prefix(bits), bits);
    }

    /** Whether {@code address} (null: no) lies in this range; an IPv4 address never lies in an IPv6 range or the reverse. */
    public boolean contains(IpAddress address) {
        return address != null && address.isIpv4() == network.isIpv4() && address.prefix(bits).equals(network);
    }
}
