package io.webpipe.job.session;

import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.util.Arrays;

/**
 * What a session document needs of a session's events, kept instead of the events (the session windows' state):
 * counts, and the events that come first or last in the event order (event time, then {@code eventId}) for each
 * field taken from one. It grows only with the page urls (at most {@link SessionDocument#MAX_PAGES}) and the event
 * types of the session, both bounded by the guard's per-visitor limit.
 *
 * <p>Adding events one by one, or summarizing parts and merging them (merged session windows), in any order, gives
 * the same summary: every field is a sum or a minimum or maximum in the event order. The guard in front of the
 * windows has dropped redelivered events, so each event comes once.
 *
 * <p>A Flink POJO (public fields, arrays rather than collections), so the state schema can evolve.
 */
public class SessionSummary {
    public String visitorId;
    public int eventCount;
    public int pageViews;
    /** The first event (its url is the landing url), with its referrer. */
    public Ordered first;
    public String referrer;
    public Ordered last;
    /** Of the first event that has one. */
    public Ordered userId;
    public Ordered userAgent;
    public Ordered ip;
    /** The first and last page view, with their titles. */
    public Ordered entry;
    public Ordered exit;
    /** The urls of the first {@link SessionDocument#MAX_PAGES} page views, in order. */
    public Ordered[] pages = new Ordered[0];
    /** Counts per event type: {@code typeCounts[i]} events of {@code types[i]}. */
    public String[] types = new String[0];
    public int[] typeCounts = new int[0];

    public SessionSummary() {}

    /** The summary of {@code events} (of one visitor, each eventId once). */
    public static SessionSummary of(Iterable<WebEvent> events) {
        SessionSummary summary = new SessionSummary();
        events.forEach(summary::add);
        return summary;
    }

    public SessionSummary add(WebEvent e) {
        Ordered at = new Ordered(e.timestamp, e.eventId, null, null);
        if (visitorId == null) {
            visitorId = e.visitorId;
        }
        eventCount++;
        if (at.isBefore(first)) {
            first = at.with(e.url, null);
            referrer = e.referrer;
        }
        if (last == null || last.isBefore(at)) {
            last = at;
        }
        userId = earlier(userId, at, e.userId);
        userAgent = earlier(userAgent, at, e.userAgent);
        ip = earlier(ip, at, e.ip);
        if (e.isPageView()) {
            pageViews++;
            Ordered page = at.with(e.url, e.pageTitle);
            if (page.isBefore(entry)) {
                entry = page;
            }
            if (exit == null || exit.isBefore(page)) {
                exit = page;
            }
            pages = firstPages(pages, new Ordered[] {at.with(e.url, null)});
        }
        countType(e.type, 1);
        return this;
    }

    /** Adds the events of {@code other} (a session window merged into this one). */
    public SessionSummary merge(SessionSummary other) {
        if (other.eventCount == 0) {
            return this;
        }
        if (visitorId == null) {
            visitorId = other.visitorId;
        }
        eventCount += other.eventCount;
        pageViews += other.pageViews;
        if (other.first.isBefore(first)) {
            first = other.first;
            referrer = other.referrer;
        }
        if (last == null || last.isBefore(other.last)) {
            last = other.last;
        }
        userId = earlier(userId, other.userId);
        userAgent = earlier(userAgent, other.userAgent);
        ip = earlier(ip, other.ip);
        entry = earlier(entry, other.entry);
        if (exit == null || (other.exit != null && exit.isBefore(other.exit))) {
            exit = other.exit;
        }
        pages = firstPages(pages, other.pages);
        for (int i = 0; i < other.types.length; i++) {
            countType(other.types[i], other.typeCounts[i]);
        }
        return this;
    }

    /** The urls of the first pages, in order. */
    public String[] pageUrls() {
        String[] urls = new String[pages.length];
        for (int i = 0; i < pages.length; i++) {
            urls[i] = pages[i].value;
        }
        return urls;
    }

    private static Ordered earlier(Ordered current, Ordered at, String value) {
        return value != null && at.isBefore(current) ? at.with(value, null) : current;
    }

    private static Ordered earlier(Ordered current, Ordered candidate) {
        return candidate != null && candidate.isBefore(current) ? candidate : current;
    }

    /** Both sorted: the first {@code MAX_PAGES} of the two, sorted. */
    private static Ordered[] firstPages(Ordered[] a, Ordered[] b) {
        if (b.length == 0 || (a.length >= SessionDocument.MAX_PAGES && !b[0].isBefore(a[a.length - 1]))) {
            return a; // the common case of a long session: a later page view than every kept one
        }
        Ordered[] merged = new Ordered[Math.min(a.length + b.length, SessionDocument.MAX_PAGES)];
        int i = 0;
        int j = 0;
        for (int k = 0; k < merged.length; k++) {
            merged[k] = j >= b.length || (i < a.length && a[i].isBefore(b[j])) ? a[i++] : b[j++];
        }
        return merged;
    }

    private void countType(String type, int count) {
        for (int i = 0; i < types.length; i++) {
            if (types[i].equals(type)) {
                typeCounts[i] += count;
                return;
            }
        }
        types = Arrays.copyOf(types, types.length + 1);
        typeCounts = Arrays.copyOf(typeCounts, typeCounts.length + 1);
        types[types.length - 1] = type;
        typeCounts[typeCounts.length - 1] = count;
    }

    /** An event's place in the event order, with a value of that event (and a page title). A Flink POJO. */
    public static class Ordered {
        public long timestamp;
        public String eventId;
        public String value;
        public String title;

        public Ordered() {}

        Ordered(long timestamp, String eventId, String value, String title) {
            this.timestamp = timestamp;
            this.eventId = eventId;
            this.value = value;
            this.title = title;
        }

        Ordered with(String value, String title) {
            return new Ordered(timestamp, eventId, value, title);
        }

        /** Before {@code other} in the event order; anything is before nothing. */
        boolean isBefore(Ordered other) {
            return other == null || timestamp < other.timestamp
                    || (timestamp == other.timestamp && eventId.compareTo(other.eventId) < 0);
        }
    }
}
