package io.webpipe.api.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import spark.Request;

/** Optional API keys for {@code /api/*}: {@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}. */
public final class ApiKeys {
    private final List<byte[]> keys;

    public ApiKeys(List<String> keys) {
        this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** Spark before-filter: a 401 unless keys are off or the request carries a valid one. */
    public void check(Request req) {
        if (!enabled()) {
            return;
        }
        String presented = req.headers("X-API-Key");
        String authorization = req.headers("Authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null || !isValid(presented)) {
            throw new ApiException(401, "unauthorized", null,
                    "a valid API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
        }
    }

    private boolean isValid(String presented) {
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        boolean valid = false;
        for (byte[] key : keys) {
            valid |= MessageDigest.isEqual(key, candidate); // constant time per key
        }
        return valid;
    }
}
