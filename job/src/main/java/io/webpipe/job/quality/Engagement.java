package io.webpipe.job.quality;

import java.io.Serializable;
import java.util.Collection;
import java.util.Set;

/**
 * GA4's engaged session: longer than {@value #MIN_DURATION_MS} ms, or at least {@value #MIN_PAGE_VIEWS} page views,
 * or at least one conversion event (its type one of {@code session.conversion-types}).
 */
public final class Engagement implements Serializable {
    private static final long serialVersionUID = 1L;
    static final long MIN_DURATION_MS = 10_000;
    static final int MIN_PAGE_VIEWS = 2;

    private final Set<String> conversionTypes;

    public Engagement(Collection<String> conversionTypes) {
        this.conversionTypes = Set.copyOf(conversionTypes);
    }

    /** @param eventTypes the types of the session's events (each type once is enough) */
    public boolean engaged(long durationMs, int pageViews, Collection<String> eventTypes) {
        return durationMs > MIN_DURATION_MS || pageViews >= MIN_PAGE_VIEWS || eventTypes.stream().anyMatch(conversionTypes::contains);
    }
}
