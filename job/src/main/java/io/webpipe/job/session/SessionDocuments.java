package io.webpipe.job.session;

import io.webpipe.job.JobConfig;
import io.webpipe.job.quality.ChannelGrouping;
import io.webpipe.job.quality.Engagement;
import io.webpipe.job.quality.LruCache;
import io.webpipe.job.quality.UrlParts;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link SessionDocument} of one session from its {@link SessionSummary} (no Flink; one per task, not thread-safe). */
public final class SessionDocuments {
    private final UserAgents userAgents;
    private final Engagement engagement;
    /** The channel table's regexes run once per distinct combination, not once per document. */
    private final Map<ChannelInputs, String> channels = new LruCache<>(10_000);

    private record ChannelInputs(String utmSource, String utmMedium, String referrerHost, String landingHost) {}

    public SessionDocuments(UserAgents userAgents, Engagement engagement) {
        this.userAgents = userAgents;
        this.engagement = engagement;
    }

    /** With the rules of {@code config} (tests and the bench's other contenders). */
    public static SessionDocuments of(JobConfig config) {
        return new SessionDocuments(new UserAgents(), new Engagement(config.conversionTypes));
    }

    /** The document of the session of {@code events} (of one visitor, each eventId once, in any order). */
    public SessionDocument build(List<WebEvent> events, Instant updatedAt) {
        return build(SessionSummary.of(events), updatedAt);
    }

    /** The document of the session {@code session} summarizes; it must hold at least one event. */
    public SessionDocument build(SessionSummary session, Instant updatedAt) {
        return build(session, SessionIds.of(session.visitorId, session.firstTime, session.firstEventId), updatedAt);
    }

    /** {@link #build(SessionSummary, Instant)} for a caller that has the session's id ({@link SessionIds#of}) already. */
    public SessionDocument build(SessionSummary session, String sessionId, Instant updatedAt) {
        if (session.eventCount == 0) {
            throw new IllegalArgumentException("a session has at least one event");
        }
        SessionDocument doc = new SessionDocument();
        doc.sessionId = sessionId;
        doc.visitorId = session.visitorId;
        doc.start = Instant.ofEpochMilli(session.firstTime).toString();
        doc.end = Instant.ofEpochMilli(session.lastTime).toString();
        doc.durationMs = session.lastTime - session.firstTime;
        doc.eventCount = session.eventCount;
        doc.userId = session.userId;
        doc.pageViews = session.pageViews;
        doc.pages.addAll(Arrays.asList(session.pageUrls));
        if (session.entryEventId != null) {
            doc.entryUrl = session.entryUrl;
            doc.entryTitle = session.entryTitle;
            doc.exitUrl = session.exitUrl;
            doc.exitTitle = session.exitTitle;
        }
        Map<String, Integer> typeCounts = new HashMap<>();
        for (int i = 0; i < session.types.length; i++) {
            typeCounts.put(session.types[i], session.typeCounts[i]);
        }
        doc.eventTypes = eventTypes(typeCounts);
        doc.bounce = doc.pageViews <= 1 && doc.eventCount == doc.pageViews;

        doc.engaged = engagement.engaged(doc.durationMs, doc.pageViews, typeCounts.keySet());
        doc.landingPage = UrlParts.path(doc.entryUrl);
        doc.exitPage = UrlParts.path(doc.exitUrl);

        doc.referrer = session.referrer;
        doc.referrerHost = UrlParts.host(session.referrer);
        doc.utmSource = keyword(UrlQuery.parameter(session.firstUrl, UrlQuery.UTM_SOURCE));
        doc.utmMedium = keyword(UrlQuery.parameter(session.firstUrl, UrlQuery.UTM_MEDIUM));
        doc.utmCampaign = keyword(UrlQuery.parameter(session.firstUrl, UrlQuery.UTM_CAMPAIGN));
        String landingUrl = session.firstUrl != null ? session.firstUrl : doc.entryUrl;
        doc.channel = channels.computeIfAbsent(
                new ChannelInputs(doc.utmSource, doc.utmMedium, doc.referrerHost, UrlParts.host(landingUrl)),
                in -> ChannelGrouping.DEFAULT.channel(in.utmSource, in.utmMedium, in.referrerHost, in.landingHost));

        UserAgents.Parsed agent = userAgents.parse(session.userAgent);
        doc.browser = agent.browser;
        doc.os = agent.os;
        doc.deviceType = agent.deviceType;
        doc.bot = agent.bot;
        doc.ip = IpAnonymizer.anonymize(session.ip);
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
}
