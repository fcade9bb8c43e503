package io.webpipe.job.session;

import io.webpipe.job.JobConfig;
import io.webpipe.job.quality.ChannelGrouping;
import io.webpipe.job.quality.Engagement;
import io.webpipe.job.quality.UrlParts;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the {@link SessionDocument} of one session from its events (pure logic, no Flink). */
public final class SessionDocuments {
    /** Event time, then eventId: a total order, so the same events always give the same document. */
    static final Comparator<WebEvent> EVENT_ORDER =
            Comparator.comparingLong((WebEvent e) -> e.timestamp).thenComparing(e -> e.eventId);

    private final UserAgents userAgents;
    private final Engagement engagement;

    public SessionDocuments(UserAgents userAgents, Engagement engagement) {
        this.userAgents = userAgents;
        this.engagement = engagement;
    }

    /** With the rules of {@code config} (tests and the bench's other contenders). */
    public static SessionDocuments of(JobConfig config) {
        return new SessionDocuments(new UserAgents(), new Engagement(config.conversionTypes));
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
        Map<String, Integer> typeCounts = new HashMap<>();
        for (WebEvent e : session) {
            typeCounts.merge(e.type, 1, Integer::sum);
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
        doc.eventTypes = eventTypes(typeCounts);
        doc.bounce = doc.pageViews <= 1 && doc.eventCount == doc.pageViews;

        doc.engaged = engagement.engaged(doc.durationMs, doc.pageViews, typeCounts.keySet());
        doc.landingPage = UrlParts.path(doc.entryUrl);
        doc.exitPage = UrlParts.path(doc.exitUrl);

        doc.referrer = first.referrer;
        doc.referrerHost = UrlParts.host(first.referrer);
        doc.utmSource = keyword(UrlQuery.parameter(first.url, UrlQuery.UTM_SOURCE));
        doc.utmMedium = keyword(UrlQuery.parameter(first.url, UrlQuery.UTM_MEDIUM));
        doc.utmCampaign = keyword(UrlQuery.parameter(first.url, UrlQuery.UTM_CAMPAIGN));
        String landingUrl = first.url != null ? first.url : doc.entryUrl;
        doc.channel = ChannelGrouping.DEFAULT.channel(doc.utmSource, doc.utmMedium, doc.referrerHost, UrlParts.host(landingUrl));

        String userAgent = firstNonNull(session, e -> e.userAgent);
        UserAgents.Parsed agent = userAgents.parse(userAgent);
        doc.browser = agent.browser;
        doc.os = agent.os;
        doc.deviceType = agent.deviceType;
        doc.bot = agent.bot;
        doc.ip = IpAnonymizer.anonymize(firstNonNull(session, e -> e.ip));
        doc.updatedAt = updatedAt.toString();
        return doc;
    }

    /** UTM values are display strings of the url's query: cut like the url itself. */
    static String keyword(String value) {
        return EventContract.cut(value, EventContract.MAX_UTM_LENGTH);
    }

    /**
     * Counts per type, most frequent first, then by name; beyond {@link EventContract#MAX_SESSION_EVENT_TYPES}
     * entries the rest are summed under {@link EventContract#OTHER_TYPES}.
     */
    static List<SessionDocument.EventTypeCount> eventTypes(Map<String, Integer> counts) {
        List<SessionDocument.EventTypeCount> sorted = new ArrayList<>();
        counts.forEach((type, count) -> sorted.add(new SessionDocument.EventTypeCount(type, count)));
        sorted.sort(Comparator.comparingInt((SessionDocument.EventTypeCount t) -> -t.count).thenComparing(t -> t.type));
        int keep = EventContract.MAX_SESSION_EVENT_TYPES;
        if (sorted.size() <= keep) {
            return sorted;
        }
        List<SessionDocument.EventTypeCount> kept = new ArrayList<>(sorted.subList(0, keep - 1));
        int rest = sorted.subList(keep - 1, sorted.size()).stream().mapToInt(t -> t.count).sum();
        kept.add(new SessionDocument.EventTypeCount(EventContract.OTHER_TYPES, rest));
        return kept;
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
