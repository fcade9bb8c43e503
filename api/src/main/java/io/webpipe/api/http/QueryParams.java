package io.webpipe.api.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import spark.Request;

/**
 * The query parameters of one request, read strictly: an unknown name, a repeated name or an
 * unreadable value is a 400 that names the parameter, so a typo never silently widens a query.
 */
public final class QueryParams {
    /** The first and last instant {@link #instant} accepts: years 0000 to 9999. */
    public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    public static QueryParams of(Request request, Set<String> allowed) {
        Map<String, String[]> raw;
        try {
            raw = request.raw().getParameterMap();
        } catch (RuntimeException e) {
            throw new ApiException(400, "invalid_query", null, "the query string cannot be decoded");
        }
        return of(raw, allowed);
    }

    static QueryParams of(Map<String, String[]> raw, Set<String> allowed) {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, String[]> e : raw.entrySet()) {
            String name = e.getKey();
            if (!allowed.contains(name)) {
                throw ApiException.invalid(name, "unknown parameter '" + name + "'; allowed: " + new TreeSet<>(allowed));
            }
            if (e.getValue().length > 1) {
                throw ApiException.invalid(name, "parameter '" + name + "' is given more than once");
            }
            String v = e.getValue()[0].trim();
            if (!v.isEmpty()) {
                values.put(name, v);
            }
        }
        return new QueryParams(values);
    }

    /** The value, or null when absent or empty. */
    public String text(String name) {
        return values.get(name);
    }

    public String text(String name, int maxLength) {
        String v = values.get(name);
        if (v != null && v.length() > maxLength) {
            throw ApiException.invalid(name, "'" + name + "' is longer than " + maxLength + " characters");
        }
        return v;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "'" + name + "' must be an integer between " + min + " and " + max + ", got '" + clip(v) + "'");
        }
        if (n < min || n > max) {
            throw ApiException.invalid(name, "'" + name + "' must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** A non-negative long, or null when absent. */
    public Long nonNegativeLong(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid(name, "'" + name + "' must be a non-negative integer, got '" + clip(v) + "'");
    }

    /** true or false, or null when absent. */
    public Boolean bool(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true": return Boolean.TRUE;
            case "false": return Boolean.FALSE;
            default: throw ApiException.invalid(name, "'" + name + "' must be true or false, got '" + clip(v) + "'");
        }
    }

    /**
     * An instant as epoch milliseconds: ISO-8601 with offset, a date (UTC midnight) or epoch
     * milliseconds, within years 0000-9999 (what Elasticsearch dates hold, and small enough that
     * no sum or difference of two of them overflows); null when absent.
     */
    public Long instant(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        Instant instant = parseInstant(v);
        if (instant == null) {
            throw ApiException.invalid(name, "'" + name + "' must be ISO-8601 with an offset (2026-11-25T09:00:00Z), "
                    + "a date (2026-11-25) or epoch milliseconds, got '" + clip(v) + "'");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.invalid(name, "'" + name + "' must be between " + EARLIEST + " and " + LATEST + ", got '" + clip(v) + "'");
        }
        return instant.toEpochMilli();
    }

    private static Instant parseInstant(String v) {
        if (v.length() <= 15 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Instant.ofEpochMilli(Long.parseLong(v));
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeException e) {
            // try the next form
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** One of the named choices (case-sensitive), or the default when absent. */
    public <E> E choice(String name, Map<String, E> choices, E defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        E choice = choices.get(v);
        if (choice == null) {
            throw ApiException.invalid(name, "'" + name + "' must be one of " + new TreeSet<>(choices.keySet()) + ", got '" + clip(v) + "'");
        }
        return choice;
    }

    /** User input echoed in an error message is kept short. */
    static String clip(String v) {
        return v.length() <= 64 ? v : v.substring(0, 64) + "...";
    }
}
