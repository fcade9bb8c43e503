package io.webpipe.api.metrics;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import spark.RouteImpl;
import spark.route.HttpMethod;
import spark.route.Routes;
import spark.routematch.RouteMatch;

/**
 * The route a request matched, found by Spark's own matcher over a copy of the registered routes, so that a
 * label holds a route pattern ({@code /api/sessions/:sessionId}) and never the raw path: whatever clients
 * send, there are as many label values as routes, plus {@link #UNMATCHED}, and as many methods as HTTP has.
 */
final class RouteTemplates {
    static final String UNMATCHED = "unmatched";
    static final String OTHER_METHOD = "OTHER";
    private static final Set<HttpMethod> ROUTE_METHODS = EnumSet.of(HttpMethod.get, HttpMethod.post, HttpMethod.put,
            HttpMethod.patch, HttpMethod.delete, HttpMethod.head, HttpMethod.trace, HttpMethod.connect, HttpMethod.options);
    private static final String ANY_TYPE = "*/*";

    private final Routes routes = Routes.create();

    /** @param registered every route and filter of the server ({@code Service.routes()}); filters are skipped */
    RouteTemplates(List<RouteMatch> registered) {
        for (RouteMatch r : registered) {
            if (ROUTE_METHODS.contains(r.getHttpMethod())) {
                routes.add(r.getHttpMethod(), RouteImpl.create(r.getMatchUri(), r.getAcceptType(), (req, res) -> null));
            }
        }
    }

    /** The method as a label: an HTTP method Spark routes, upper case, else {@link #OTHER_METHOD}. */
    static String method(String requestMethod) {
        HttpMethod method = routeMethod(requestMethod);
        return method == null ? OTHER_METHOD : method.name().toUpperCase(Locale.ROOT);
    }

    /** The pattern of the route Spark serves {@code method uri} with (HEAD falls back to GET, as in Spark), else {@link #UNMATCHED}. */
    String of(String requestMethod, String uri) {
        HttpMethod method = routeMethod(requestMethod);
        if (method == null) {
            return UNMATCHED;
        }
        RouteMatch match = routes.find(method, uri, ANY_TYPE);
        if (match == null && method == HttpMethod.head) {
            match = routes.find(HttpMethod.get, uri, ANY_TYPE);
        }
        return match == null ? UNMATCHED : match.getMatchUri();
    }

    private static HttpMethod routeMethod(String requestMethod) {
        HttpMethod method = HttpMethod.get(requestMethod.toLowerCase(Locale.ROOT));
        return ROUTE_METHODS.contains(method) ? method : null;
    }
}
