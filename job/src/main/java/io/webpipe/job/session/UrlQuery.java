package io.webpipe.job.session;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads one parameter from the query string of a url, tolerating anything malformed. */
public final class UrlQuery {
    public static final String UTM_SOURCE = "utm_source";
    public static final String UTM_MEDIUM = "utm_medium";
    public static final String UTM_CAMPAIGN = "utm_campaign";

    private UrlQuery() {}

    /** The first value of {@code name}, decoded, or null when absent or empty. */
    public static String parameter(String url, String name) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        int fragment = url.indexOf('#', q);
        String query = fragment < 0 ? url.substring(q + 1) : url.substring(q + 1, fragment);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
