package io.webpipe.job.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** A session's channel (Direct, Organic Search, Paid Social, ...) by the rules of {@link ChannelTable}. */
public final class ChannelGrouping {
    static final String DIRECT_SOURCE = "(direct)";
    static final String NO_MEDIUM = "(none)";
    static final String REFERRAL_MEDIUM = "referral";

    /** The table shipped with the job, compiled once per JVM (immutable, shared by every task). */
    public static final ChannelGrouping DEFAULT = new ChannelGrouping(ChannelTable.load());

    private record Classified(String className, Pattern pattern) {}

    private final List<Classified> sources = new ArrayList<>();
    private final List<Classified> media = new ArrayList<>();
    private final List<ChannelTable.ChannelRow> channels;

    ChannelGrouping(ChannelTable table) {
        table.sources.forEach(r -> r.patterns().forEach(p -> sources.add(new Classified(r.sourceClass(), ChannelTable.regex(p)))));
        table.media.forEach(r -> r.patterns().forEach(p -> media.add(new Classified(r.mediumClass(), ChannelTable.regex(p)))));
        channels = List.copyOf(table.channels);
    }

    /**
     * @param utmSource   the landing url's {@code utm_source}, or null
     * @param utmMedium   the landing url's {@code utm_medium}, or null
     * @param referrerHost the referrer's host ({@link UrlParts#host}), or null
     * @param landingHost the landing url's host, or null: a referrer on it is the site's own
     */
    public String channel(String utmSource, String utmMedium, String referrerHost, String landingHost) {
        String referrer = Objects.equals(referrerHost, landingHost) ? null : referrerHost;
        String source = utmSource != null ? utmSource : referrer != null ? referrer : DIRECT_SOURCE;
        String medium = utmMedium != null ? utmMedium : referrer != null ? REFERRAL_MEDIUM : NO_MEDIUM;
        String sourceClass = classOf(source, sources);
        String mediumClass = classOf(medium, media);
        for (ChannelTable.ChannelRow row : channels) {
            if (matches(row.sourceClass(), sourceClass) && matches(row.mediumClass(), mediumClass)) {
                return row.channel();
            }
        }
        throw new IllegalStateException("unreachable: the table ends with a row for any class");
    }

    private static boolean matches(String rowClass, String actual) {
        return rowClass.equals(ChannelTable.ANY) || rowClass.equals(actual);
    }

    private static String classOf(String value, List<Classified> rows) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (Classified c : rows) {
            if (c.pattern().matcher(v).matches()) {
                return c.className();
            }
        }
        return null;
    }
}
