package io.webpipe.job.quality;

import java.util.Locale;

/**
 * The host and the path of a url, by plain string rules that never fail on malformed input. The same rules are
 * written in painless in {@code web-sessions.migrate.painless} (documents reindexed from an older version), so
 * both give the same {@code landingPage}, {@code exitPage} and {@code referrerHost}; keep them in step.
 */
public final class UrlParts {
    private UrlParts() {}

    /**
     * The path without query string and fragment: {@code https://shop.example/p/1?utm_source=x#top} → {@code /p/1};
     * {@code /} for a url without a path; a relative url is its own path. Not decoded: {@code %EB%82%98} stays as sent.
     */
    public static String path(String url) {
        if (url == null) {
            return null;
        }
        int start = afterAuthority(url);
        if (start >= 0) {
            int slash = endOfAuthority(url, start);
            url = url.substring(slash);
        }
        int end = firstOf(url, 0, "?#");
        String path = url.substring(0, end);
        return path.isEmpty() ? "/" : path;
    }

    /**
     * The host in lower case, without user info and port: {@code https://user@WWW.Google.co.kr:443/x} →
     * {@code www.google.co.kr}; null for a url without an authority (no {@code scheme://}) or with an empty or
     * malformed host.
     */
    public static String host(String url) {
        if (url == null) {
            return null;
        }
        int start = afterAuthority(url);
        if (start < 0) {
            return null;
        }
        String authority = url.substring(start, endOfAuthority(url, start));
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']', colon) < 0) {
            host = host.substring(0, colon);
        }
        host = host.toLowerCase(Locale.ROOT);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']')) {
                return null;
            }
        }
        return host.isEmpty() ? null : host;
    }

    /** Where the authority starts ({@code scheme://} or {@code //} before the first path, query or fragment), or -1. */
    private static int afterAuthority(String url) {
        int marker = url.indexOf("//");
        if (marker < 0 || firstOf(url, 0, "/?#") < marker) {
            return -1;
        }
        if (marker > 0 && url.charAt(marker - 1) != ':') {
            return -1;
        }
        return marker + 2;
    }

    private static int endOfAuthority(String url, int start) {
        return firstOf(url, start, "/?#");
    }

    /** The first index at or after {@code from} of any of {@code chars}, or the length. */
    private static int firstOf(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
