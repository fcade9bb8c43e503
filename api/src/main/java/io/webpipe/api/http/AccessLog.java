package io.webpipe.api.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;

/**
 * One line per request to the logger {@code access} (its own rolling file): client, method,
 * path, status, duration, user agent. Query strings and headers are not logged: they can carry
 * keys and personal data.
 */
public final class AccessLog {
    private static final Logger ACCESS = LoggerFactory.getLogger("access");

    private final ClientAddress clientAddress;

    public AccessLog(ClientAddress clientAddress) {
        this.clientAddress = clientAddress;
    }

    /** @param elapsedNanos since the request arrived, negative when unknown (logged as -1 ms) */
    public void finish(Request req, Response res, long elapsedNanos) {
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        long ms = elapsedNanos < 0 ? -1 : elapsedNanos / 1_000_000;
        ACCESS.info("{} \"{} {} {}\" {} {}ms \"{}\"", clientAddress.of(req), req.requestMethod(), sanitize(req.pathInfo()),
                req.protocol(), res.raw().getStatus(), ms, sanitize(req.userAgent()));
    }

    /** No control characters or quotes from the request reach the log line. */
    private static String sanitize(String s) {
        return s == null ? "-" : s.replaceAll("[\\p{Cntrl}\"]", "?");
    }
}
