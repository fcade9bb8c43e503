package io.webpipe.api.http;

import io.webpipe.net.IpAddress;
import io.webpipe.net.IpRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The address of the client behind a request. {@code X-Forwarded-For} is believed only when the
 * TCP peer is a trusted proxy, and then only up to the first hop that is not trusted: anyone can
 * write that header, so an untrusted hop's claims are ignored.
 */
public final class ClientAddress {
    private final List<IpRange> trusted = new ArrayList<>();

    /** @param trustedProxies IPs or CIDR ranges ("10.0.0.0/8", "::1") */
    public ClientAddress(List<String> trustedProxies) {
        for (String entry : trustedProxies) {
            try {
                trusted.add(IpRange.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("trusted proxy " + e.getMessage(), e);
            }
        }
    }

    /** The client IP of a request. */
    public String of(spark.Request req) {
        return resolve(req.raw().getRemoteAddr(), req.headers("X-Forwarded-For"));
    }

    /** The client IP for a request from {@code peer} with the given X-Forwarded-For header (may be null). */
    public String resolve(String peer, String forwardedFor) {
        String client = peer;
        if (forwardedFor == null || !isTrusted(IpAddress.parse(peer))) {
            return client;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            IpAddress address = IpAddress.parse(hop);
            if (address == null) {
                break; // garbage in the header: stay with the last address we could check
            }
            client = hop;
            if (!isTrusted(address)) {
                break;
            }
        }
        return client;
    }

    private boolean isTrusted(IpAddress address) {
        return trusted.stream().anyMatch(range -> range.contains(address));
    }
}
