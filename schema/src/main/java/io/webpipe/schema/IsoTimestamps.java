package io.webpipe.schema;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * ISO-8601 date-times with an offset as epoch milliseconds, exactly as {@link OffsetDateTime#parse} reads them.
 *
 * <p>Why not only {@code OffsetDateTime.parse}: it was a fifth of the job's decoding in the bench's profile (the
 * formatter's generic parse and resolve steps). The form clients send, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)},
 * is read here directly, with the same range checks; every other form, and every string this would refuse, goes
 * to {@code OffsetDateTime.parse}, which decides.
 */
final class IsoTimestamps {
    private static final int SHORTEST = "2026-11-25T09:00:00Z".length();
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    private IsoTimestamps() {}

    /** The epoch milliseconds of {@code s}; a {@link DateTimeException} or {@link ArithmeticException} if it is none. */
    static long epochMillis(String s) {
        long millis = fastEpochMillis(s);
        return millis != Long.MIN_VALUE ? millis : OffsetDateTime.parse(s).toInstant().toEpochMilli();
    }

    /** {@code Long.MIN_VALUE} unless {@code s} has the common form and is valid. */
    static long fastEpochMillis(String s) {
        int n = s.length();
        if (n < SHORTEST || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || day > LocalDate.of(year, month, 1).lengthOfMonth() || hour > 23 || minute > 59 || second > 59) {
            return Long.MIN_VALUE;
        }
        int at = 19;
        int millis = 0;
        if (at < n && s.charAt(at) == '.') {
            int end = at + 1;
            while (end < n && isDigit(s.charAt(end))) {
                end++;
            }
            int fractionDigits = end - at - 1;
            if (fractionDigits < 1 || fractionDigits > 9) {
                return Long.MIN_VALUE;
            }
            for (int i = 0; i < 3; i++) {
                millis = millis * 10 + (i < fractionDigits ? s.charAt(at + 1 + i) - '0' : 0);
            }
            at = end;
        }
        int offsetSeconds;
        if (at == n - 1 && s.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == n - 6 && (s.charAt(at) == '+' || s.charAt(at) == '-') && s.charAt(at + 3) == ':') {
            int offsetHours = digits(s, at + 1, at + 3);
            int offsetMinutes = digits(s, at + 4, at + 6);
            if ((offsetHours | offsetMinutes) < 0 || offsetMinutes > 59) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (s.charAt(at) == '-' ? -1 : 1);
            if (Math.abs(offsetSeconds) > MAX_OFFSET_SECONDS) {
                return Long.MIN_VALUE;
            }
        } else {
            return Long.MIN_VALUE;
        }
        long epochSeconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L
                + hour * 3600L + minute * 60L + second - offsetSeconds;
        return epochSeconds * 1000 + millis;
    }

    /** The decimal number of {@code s[from, to)}, or -1 if a character there is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
