package io.webpipe.api.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.webpipe.api.metrics.CollectorMetrics;
import io.webpipe.net.IpAddress;
import java.time.Duration;
import java.util.HexFormat;
import spark.Request;
import spark.Response;

/**
 * A token bucket per client address ({@link ClientAddress}, so behind the trusted proxies only):
 * {@code burst} requests at once, refilled at {@code requests} per {@code period}. Over the limit a
 * request is a 429 with {@code Retry-After}, counted in {@link CollectorMetrics#rateLimited()}.
 *
 * <p>Memory is bounded: a client's bucket is forgotten once it has been idle long enough to be full
 * again (forgetting it then changes nothing), and at most {@code maxClients} buckets are kept, the
 * least recently used going first (a forgotten client starts with a full bucket). IPv6 clients are
 * counted by their /64, which one subscriber usually holds whole and could otherwise walk through.
 */
public final class RateLimit {
    private static final long NANOS_PER_SECOND = Duration.ofSeconds(1).toNanos();

    private final ClientAddress clientAddress;
    private final long requests;
    private final Duration period;
    private final long burst;
    private final TimeMeter clock;
    private final Cache<String, Bucket> buckets;
    private final CollectorMetrics metrics;

    /** @param requests refill per period; 0 turns the limit off */
    public RateLimit(ClientAddress clientAddress, int requests, Duration period, int burst, int maxClients, CollectorMetrics metrics) {
        this(clientAddress, requests, period, burst, maxClients, TimeMeter.SYSTEM_NANOTIME, metrics);
    }

    RateLimit(ClientAddress clientAddress, int requests, Duration period, int burst, int maxClients, TimeMeter clock,
            CollectorMetrics metrics) {
        if (requests < 0 || (requests > 0 && (burst < 1 || maxClients < 1 || period.isZero() || period.isNegative()))) {
            throw new IllegalArgumentException("rate limit needs requests >= 0, and when on a positive period, burst and max-clients; got "
                    + requests + " per " + period + ", burst " + burst + ", max-clients " + maxClients);
        }
        this.clientAddress = clientAddress;
        this.requests = requests;
        this.period = period;
        this.burst = burst;
        this.clock = clock;
        this.metrics = metrics;
        this.buckets = requests == 0 ? null : Caffeine.newBuilder()
                .maximumSize(maxClients)
                .expireAfterAccess(period.multipliedBy(burst).dividedBy(requests).plusSeconds(1))
                .ticker(clock::currentTimeNanos)
                .executor(Runnable::run) // upkeep on the request threads: no background work to wait for
                .build();
    }

    /** Spark before-filter: a 429 with Retry-After when the client has no token left. */
    public void check(Request req, Response res) {
        long wait = secondsToWait(clientAddress.of(req));
        if (wait > 0) {
            metrics.rateLimited();
            res.header("Retry-After", Long.toString(wait));
            throw new ApiException(429, "rate_limited", null, "more than " + burst + " requests at once or " + requests + " per "
                    + period.toMillis() + " ms from this address; retry after " + wait + " s");
        }
    }

    /** Takes a token of {@code client}'s bucket: 0 when there was one, else the whole seconds until there is. */
    long secondsToWait(String client) {
        if (buckets == null) {
            return 0;
        }
        ConsumptionProbe probe = buckets.get(key(client), k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(requests, period))
                .withCustomTimePrecision(clock)
                .build()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, ceilDiv(probe.getNanosToWaitForRefill(), NANOS_PER_SECOND));
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    /** The bucket of an address: an IPv4 address itself (also when IPv4-mapped), an IPv6 address its /64. */
    static String key(String client) {
        IpAddress address = IpAddress.parse(client);
        if (address == null) {
            return client;
        }
        return address.isIpv4() ? address.toString() : HexFormat.of().formatHex(address.bytes(), 0, 8) + "::/64";
    }
}
