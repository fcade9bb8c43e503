package io.webpipe.job.session;

import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds the {@link SessionDocument} of one session from its events (pure logic, no Flink). */
public final class SessionDocuments {
    /** Event time, then eventId: a total order, so the same events always give the same document. */
    static final Comparator<WebEvent> EVENT_ORDER =
            Comparator.comparingLong((WebEvent e) -> e.timestamp).thenComparing(e -> e.eventId);

    static final int MAX_KEYWORD_LENGTH = 1024;

    private final UserAgents userAgents;

    public SessionDocuments(UserAgents userAgents) {
        this.userAgents = userAgents;
    }

    /** The events in order, each eventId once (a redelivered event counts once). */
    public static List<WebEvent> distinctInOrder(Iterable<WebEvent> events) {
        List<WebEvent> sorted = new ArrayList<>();
        events.forEach(sorted::add);
        sorted.sort(EVENT_ORDER);
        Set<String> seen = new HashSet<>();
        List<WebEvent> distinct = new ArrayList<>(sorted.size());
        for (WebEvent e : sorted) {
            if (seen.add(e.eventId)) {
                distinct.add(e);
            }
        }
        return distinct;
    }

    /**
     * The document of a session from its events as given by {@link #distinctInOrder}; they must be
     * non-empty and of one visitor.
     */
    public SessionDocument build(List<WebEvent> session, Instant updatedAt) {
        if (session.isEmpty()) {
            throw new IllegalArgumentException("a session has at least one event");
        }
        WebEvent first = session.get(0);
        WebEvent last = session.get(session.size() - 1);

        SessionDocument doc = new SessionDocument();
        doc.sessionId = SessionIds.of(first.visitorId, first.timestamp, first.eventId);
        doc.visitorId = first.visitorId;
        doc.start = Instant.ofEpochMilli(first.timestamp).toString();
        doc.end = Instant.ofEpochMilli(last.timestamp).toString();
        doc.durationMs = last.timestamp - first.timestamp;
        doc.eventCount = session.size();

        WebEvent firstPage = null;
        WebEvent lastPage = null;
        for (WebEvent e : session) {
            doc.eventTypes.merge(eventTypeKey(e.type), 1, Integer::sum);
            if (doc.userId == null) {
                doc.userId = e.userId;
            }
            if (e.isPageView()) {
                doc.pageViews++;
                if (firstPage == null) {
                    firstPage = e;
                }
                lastPage = e;
                if (doc.pages.size() < SessionDocument.MAX_PAGES) {
                    doc.pages.add(e.url);
                }
            }
        }
        if (firstPage != null) {
            doc.entryUrl = firstPage.url;
            doc.entryTitle = firstPage.pageTitle;
            doc.exitUrl = lastPage.url;
            doc.exitTitle = lastPage.pageTitle;
        }
        doc.bounce = doc.pageViews <= 1 && doc.eventCount == doc.pageViews;

        doc.referrer = first.referrer;
        doc.utmSource = keyword(UrlQuery.parameter(first.url, UrlQuery.UTM_SOURCE));
        doc.utmMedium = keyword(UrlQuery.parameter(first.url, UrlQuery.UTM_MEDIUM));
        doc.utmCampaign = keyword(UrlQuery.parameter(first.url, UrlQuery.UTM_CAMPAIGN));

        String userAgent = firstNonNull(session, e -> e.userAgent);
        UserAgents.Parsed agent = userAgents.parse(userAgent);
        doc.browser = agent.browser;
        doc.os = agent.os;
        doc.deviceType = agent.deviceType;
        doc.ip = IpAnonymizer.anonymize(firstNonNull(session, e -> e.ip));
        doc.updatedAt = updatedAt.toString();
        return doc;
    }

    /** Elasticsearch refuses keyword terms over 32 KB, which would stop the sink: cut absurd values. */
    static String keyword(String value) {
        return value == null || value.length() <= MAX_KEYWORD_LENGTH ? value : value.substring(0, MAX_KEYWORD_LENGTH);
    }

    /**
     * The key of an event type in {@code eventTypes}. Elasticsearch reads dots in a field name as
     * object paths, which would clash with the integer counts, so they become underscores.
     */
    public static String eventTypeKey(String type) {
        return type.replace('.', '_');
    }

    private static String firstNonNull(List<WebEvent> events, java.util.function.Function<WebEvent, String> field) {
        for (WebEvent e : events) {
            String v = field.apply(e);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
