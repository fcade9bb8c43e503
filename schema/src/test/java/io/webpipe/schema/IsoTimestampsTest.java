package io.webpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoTimestampsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-25T09:00:00+09:00", "2026-11-25T00:00:00Z", "2026-11-25T00:00:00.5Z", "2026-11-25T00:00:00.123456789Z",
        "1969-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-18:00", "2024-02-29T12:00:00Z",
        "2026-11-25T09:00:00.Z", "2026-11-25t09:00:00z", "2026-11-25T09:00Z", "2026-11-25T09:00:00+09", "2026-11-25T09:00:00+09:00:30",
        "2023-02-29T12:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T09:60:00Z", "2026-11-25T09:00:60Z",
        "2026-11-25T09:00:00+18:01", "2026-11-25T09:00:00.1234567890Z", "+12026-11-25T09:00:00Z", "2026-11-25 09:00:00Z",
        "2026-11-25T09:00:00", "2026-11-25T09:00:00+0900", "２０２６-11-25T09:00:00Z", "2026-11-25T09:00:00+09:60"})
    void readsWhatOffsetDateTimeReadsAndRefusesWhatItRefuses(String s) {
        assertThat(outcome(() -> IsoTimestamps.epochMillis(s))).as(s).isEqualTo(referenceOutcome(s));
    }

    /** The forms clients send are read without the JDK's formatter (the point of the class). */
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T09:00:00+09:00", "2026-11-25T00:00:00Z", "2026-11-25T00:00:00.123Z",
        "2026-11-25T00:00:00.123456-05:30"})
    void theCommonFormsTakeTheDirectPath(String s) {
        assertThat(IsoTimestamps.fastEpochMillis(s)).isEqualTo(OffsetDateTime.parse(s).toInstant().toEpochMilli());
    }

    /** Random date-times, in range and out, in the common form and near it, each read as the JDK reads it. */
    @Test
    void agreesWithOffsetDateTimeOnRandomStrings() {
        Random random = new Random(20261202);
        String mutations = "0123456789-:TZ+.tz ";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000),
                    random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62)));
            int fraction = random.nextInt(12) - 1;
            if (fraction >= 0) {
                s.append('.');
                for (int d = 0; d < fraction; d++) {
                    s.append((char) ('0' + random.nextInt(10)));
                }
            }
            s.append(random.nextInt(3) == 0 ? "Z" : String.format("%c%02d:%02d", random.nextBoolean() ? '+' : '-',
                    random.nextInt(20), random.nextInt(62)));
            if (random.nextInt(4) == 0) {
                s.setCharAt(random.nextInt(s.length()), mutations.charAt(random.nextInt(mutations.length())));
            }
            String text = s.toString();
            assertThat(outcome(() -> IsoTimestamps.epochMillis(text))).as(text).isEqualTo(referenceOutcome(text));
        }
    }

    private static String referenceOutcome(String s) {
        return outcome(() -> OffsetDateTime.parse(s).toInstant().toEpochMilli());
    }

    private static String outcome(java.util.function.LongSupplier parse) {
        try {
            return Long.toString(parse.getAsLong());
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return "refused";
        }
    }
}
