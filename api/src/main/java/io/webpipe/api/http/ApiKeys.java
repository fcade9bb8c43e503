package io.webpipe.api.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import spark.Request;

/**
 * API keys for {@code /api/*} and {@code /metrics}: {@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}.
 * Safe by default: without configured keys both are open only when the server listens on loopback (nobody
 * else can reach it); listening beyond loopback without keys, every request to them is refused, so
 * forgetting the keys never publishes the data.
 */
public final class ApiKeys {
    /** How {@code /api/*} and {@code /metrics} are guarded. */
    public enum Mode {
        /** Keys configured: each request needs one. */
        KEYS_REQUIRED,
        /** No keys, loopback only: open. */
        OPEN_ON_LOOPBACK,
        /** No keys, reachable from other hosts: every request is a 401. */
        LOCKED
    }

    /** The paths these keys guard, as the messages name them. */
    private static final String GUARDED = "/api/* and /metrics";

    private final List<byte[]> keys;
    private final Mode mode;

    /** @param host the address the server listens on */
    public ApiKeys(List<String> keys, String host) {
        this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.mode = !keys.isEmpty() ? Mode.KEYS_REQUIRED : isLoopback(host) ? Mode.OPEN_ON_LOOPBACK : Mode.LOCKED;
    }

    public Mode mode() {
        return mode;
    }

    /** The start-up line that says how /api/* and /metrics are guarded. */
    public String describe(String host) {
        switch (mode) {
            case KEYS_REQUIRED:
                return GUARDED + " need an API key (" + keys.size() + " configured)";
            case OPEN_ON_LOOPBACK:
                return GUARDED + " are open without a key: the API listens on loopback only (" + host + ")";
            default:
                return GUARDED + " are locked: the API listens on " + host + ", beyond loopback, and api.keys is empty, so every "
                        + "request to them is refused with 401; set api.keys (or api.host=127.0.0.1)";
        }
    }

    /** Spark before-filter: a 401 unless the guarded paths are open or the request carries a valid key. */
    public void check(Request req) {
        if (mode == Mode.OPEN_ON_LOOPBACK) {
            return;
        }
        if (mode == Mode.LOCKED) {
            throw unauthorized("no API keys are configured and the API is reachable beyond loopback, so " + GUARDED + " are closed; "
                    + "the operator must set api.keys");
        }
        String presented = req.headers("X-API-Key");
        String authorization = req.headers("Authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null || !isValid(presented)) {
            throw unauthorized("a valid API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", null, message);
    }

    private boolean isValid(String presented) {
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        boolean valid = false;
        for (byte[] key : keys) {
            valid |= MessageDigest.isEqual(key, candidate); // constant time per key
        }
        return valid;
    }

    /** Whether {@code host} is a loopback address ("0.0.0.0", the wildcard, is not); an unknown name is not. */
    static boolean isLoopback(String host) {
        if (host.isBlank()) {
            return false; // getByName("") would answer the loopback address
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
