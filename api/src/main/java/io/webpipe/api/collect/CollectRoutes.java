package io.webpipe.api.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.ClientAddress;
import io.webpipe.api.http.Json;
import io.webpipe.api.http.RateLimit;
import io.webpipe.api.http.Resources;
import io.webpipe.schema.EventContract;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import spark.Request;
import spark.Service;

/** The collector: {@code POST /collect}, the pixel {@code GET /collect/p.gif} and the tracker {@code GET /webpipe.js}. */
public final class CollectRoutes {
    /** The smallest transparent GIF. */
    static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private static final Set<String> PIXEL_FIELDS = Set.of(EventContract.EVENT_ID, EventContract.TYPE, EventContract.TIMESTAMP,
            EventContract.VISITOR_ID, EventContract.USER_ID, EventContract.URL, EventContract.PAGE_ID,
            EventContract.PAGE_TITLE, EventContract.REFERRER);

    private final EventCollector collector;
    private final ClientAddress clientAddress;
    private final CorsPolicy cors;
    private final RateLimit rateLimit;
    private final byte[] trackerScript = Resources.read("/io/webpipe/api/webpipe.js");

    public CollectRoutes(EventCollector collector, ClientAddress clientAddress, CorsPolicy cors, RateLimit rateLimit) {
        this.collector = collector;
        this.clientAddress = clientAddress;
        this.cors = cors;
        this.rateLimit = rateLimit;
    }

    public void register(Service http) {
        http.before("/collect", (req, res) -> rateLimit.check(req, res));
        http.before("/collect/*", (req, res) -> rateLimit.check(req, res));

        http.options("/collect", (req, res) -> {
            cors.preflight(req, res);
            res.status(204);
            return "";
        });

        http.post("/collect", (req, res) -> {
            cors.allow(req, res);
            List<JsonNode> events = collector.parse(BoundedBody.read(req.raw()));
            EventCollector.CollectResult result = collector.collect(events, origin(req));
            res.status(result.markUnconfirmed() ? 503 : 202);
            res.type(Json.CONTENT_TYPE);
            return Json.write(result);
        });

        http.get("/collect/p.gif", (req, res) -> {
            EventCollector.CollectResult result = collector.collect(List.of(pixelEvent(req)), origin(req));
            if (result.failed > 0) {
                throw ApiException.unavailable(result.failures.get(0).reason() + "; retry later");
            }
            if (result.rejected > 0) {
                res.status(400);
                res.header("X-Webpipe-Rejected", asciiHeader(result.errors.get(0).reason()));
            }
            res.type("image/gif");
            res.header("Cache-Control", "no-store");
            return PIXEL;
        });

        http.get("/webpipe.js", (req, res) -> {
            res.type("application/javascript; charset=utf-8");
            res.header("Cache-Control", "public, max-age=3600");
            return trackerScript;
        });
    }

    /**
     * The pixel's query parameters as one event. A page that fires a pixel does so when the event
     * happens, so a missing timestamp is the arrival time; everything else (a missing eventId too)
     * is completed and checked like a posted event.
     */
    private static ObjectNode pixelEvent(Request req) {
        Map<String, String[]> params;
        try {
            params = req.raw().getParameterMap();
        } catch (RuntimeException e) {
            throw new ApiException(400, "invalid_query", null, "the query string cannot be decoded");
        }
        ObjectNode event = Json.MAPPER.createObjectNode();
        params.forEach((name, values) -> {
            if (PIXEL_FIELDS.contains(name) && values.length > 0) {
                event.put(name, values[0]);
            }
        });
        if (!event.has(EventContract.TIMESTAMP)) {
            event.put(EventContract.TIMESTAMP, System.currentTimeMillis());
        }
        return event;
    }

    private EventCollector.Origin origin(Request req) {
        return new EventCollector.Origin(req.userAgent(), clientAddress.of(req));
    }

    private static String asciiHeader(String s) {
        String ascii = s.replaceAll("[^\\x20-\\x7e]", "?");
        return ascii.length() <= 200 ? ascii : ascii.substring(0, 200);
    }
}
