package io.webpipe.job.session;

import io.webpipe.job.Summary;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What a session document needs of a session's events, kept instead of the events ({@link Sessionize}'s state):
 * counts, and the events that come first or last in the event order (event time, then {@code eventId}) for each
 * field taken from one. It grows only with the page urls (at most {@link SessionDocument#MAX_PAGES}) and the event
 * types of the session, both bounded by the guard's per-visitor limit.
 *
 * <p>Adding events one by one, or summarizing parts and merging them (merged session windows), in any order, gives
 * the same summary: every field is a sum or a minimum or maximum in the event order. The guard in front of the
 * sessions has dropped redelivered events, so each event comes once.
 *
 * <p>Flat fields and arrays of strings and numbers. In the job's state it is written by {@link
 * VisitorSessionsSerializer} (a new field goes there too); it stays a Flink POJO for the Kafka Streams peer of the
 * bench and for reading the session windows of older savepoints. An event's place in the order is its time and id
 * ({@code ...Time}, {@code ...EventId}); a null id means no such event yet.
 */
public class SessionSummary implements Summary<WebEvent, SessionSummary> {
    /** Its type as a Flink POJO (the older jobs' window state, read by the savepoint migration), never Kryo. */
    public static final TypeInformation<SessionSummary> TYPE = TypeInformation.of(SessionSummary.class);

    public String visitorId;
    public int eventCount;
    public int pageViews;

    /** The first event: its url is the landing url, its referrer the session's. */
    public long firstTime;
    public String firstEventId;
    public String firstUrl;
    public String referrer;
    public long lastTime;
    public String lastEventId;

    /** Of the first event that has one. */
    public long userIdTime;
    public String userIdEventId;
    public String userId;
    public long userAgentTime;
    public String userAgentEventId;
    public String userAgent;
    public long ipTime;
    public String ipEventId;
    public String ip;

    /** The first and the last page view. */
    public long entryTime;
    public String entryEventId;
    public String entryUrl;
    public String entryTitle;
    public long exitTime;
    public String exitEventId;
    public String exitUrl;
    public String exitTitle;

    /** The first {@link SessionDocument#MAX_PAGES} page views, in order: time, id and url at the same index. */
    public long[] pageTimes = new long[0];
    public String[] pageEventIds = new String[0];
    public String[] pageUrls = new String[0];

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

    @Override
    public SessionSummary add(WebEvent e) {
        long t = e.timestamp;
        String id = e.eventId;
        if (visitorId == null) {
            visitorId = e.visitorId;
        }
        eventCount++;
        if (before(t, id, firstTime, firstEventId)) {
            firstTime = t;
            firstEventId = id;
            firstUrl = e.url;
            referrer = e.referrer;
        }
        if (after(t, id, lastTime, lastEventId)) {
            lastTime = t;
            lastEventId = id;
        }
        if (e.userId != null && before(t, id, userIdTime, userIdEventId)) {
            userIdTime = t;
            userIdEventId = id;
            userId = e.userId;
        }
        if (e.userAgent != null && before(t, id, userAgentTime, userAgentEventId)) {
            userAgentTime = t;
            userAgentEventId = id;
            userAgent = e.userAgent;
        }
        if (e.ip != null && before(t, id, ipTime, ipEventId)) {
            ipTime = t;
            ipEventId = id;
            ip = e.ip;
        }
        if (e.isPageView()) {
            pageViews++;
            addPageView(t, id, e.url, e.pageTitle);
            addPage(t, id, e.url);
        }
        countType(e.type, 1);
        return this;
    }

    /** Adds the events of {@code other} (a session window merged into this one). */
    @Override
    public SessionSummary merge(SessionSummary other) {
        if (other.eventCount == 0) {
            return this;
        }
        if (visitorId == null) {
            visitorId = other.visitorId;
        }
        eventCount += other.eventCount;
        pageViews += other.pageViews;
        if (before(other.firstTime, other.firstEventId, firstTime, firstEventId)) {
            firstTime = other.firstTime;
            firstEventId = other.firstEventId;
            firstUrl = other.firstUrl;
            referrer = other.referrer;
        }
        if (after(other.lastTime, other.lastEventId, lastTime, lastEventId)) {
            lastTime = other.lastTime;
            lastEventId = other.lastEventId;
        }
        if (other.userIdEventId != null && before(other.userIdTime, other.userIdEventId, userIdTime, userIdEventId)) {
            userIdTime = other.userIdTime;
            userIdEventId = other.userIdEventId;
            userId = other.userId;
        }
        if (other.userAgentEventId != null && before(other.userAgentTime, other.userAgentEventId, userAgentTime, userAgentEventId)) {
            userAgentTime = other.userAgentTime;
            userAgentEventId = other.userAgentEventId;
            userAgent = other.userAgent;
        }
        if (other.ipEventId != null && before(other.ipTime, other.ipEventId, ipTime, ipEventId)) {
            ipTime = other.ipTime;
            ipEventId = other.ipEventId;
            ip = other.ip;
        }
        if (other.entryEventId != null) {
            addPageView(other.entryTime, other.entryEventId, other.entryUrl, other.entryTitle);
            addPageView(other.exitTime, other.exitEventId, other.exitUrl, other.exitTitle);
        }
        addPages(other.pageTimes, other.pageEventIds, other.pageUrls);
        for (int i = 0; i < other.types.length; i++) {
            countType(other.types[i], other.typeCounts[i]);
        }
        return this;
    }

    /** The event {@code (t, id)} comes before {@code (otherTime, otherId)} in the event order, or there is no other. */
    private static boolean before(long t, String id, long otherTime, String otherId) {
        return otherId == null || t < otherTime || (t == otherTime && id.compareTo(otherId) < 0);
    }

    /** The event {@code (t, id)} comes after {@code (otherTime, otherId)} in the event order, or there is no other. */
    private static boolean after(long t, String id, long otherTime, String otherId) {
        return otherId == null || t > otherTime || (t == otherTime && id.compareTo(otherId) > 0);
    }

    /** A page view that may be the entry or the exit page. */
    private void addPageView(long t, String id, String url, String title) {
        if (before(t, id, entryTime, entryEventId)) {
            entryTime = t;
            entryEventId = id;
            entryUrl = url;
            entryTitle = title;
        }
        if (after(t, id, exitTime, exitEventId)) {
            exitTime = t;
            exitEventId = id;
            exitUrl = url;
            exitTitle = title;
        }
    }

    /** One page view into the kept pages: most come after every kept one (events mostly come in order), appended. */
    private void addPage(long t, String id, String url) {
        int kept = pageTimes.length;
        if (kept > 0 && before(t, id, pageTimes[kept - 1], pageEventIds[kept - 1])) {
            addPages(new long[] {t}, new String[] {id}, new String[] {url});
        } else if (kept < SessionDocument.MAX_PAGES) {
            pageTimes = Arrays.copyOf(pageTimes, kept + 1);
            pageEventIds = Arrays.copyOf(pageEventIds, kept + 1);
            pageUrls = Arrays.copyOf(pageUrls, kept + 1);
            pageTimes[kept] = t;
            pageEventIds[kept] = id;
            pageUrls[kept] = url;
        }
    }

    /** Both in order: the first {@code MAX_PAGES} of the kept pages and {@code times/ids/urls}, in order. */
    private void addPages(long[] times, String[] ids, String[] urls) {
        int kept = pageTimes.length;
        if (times.length == 0 || (kept >= SessionDocument.MAX_PAGES
                && !before(times[0], ids[0], pageTimes[kept - 1], pageEventIds[kept - 1]))) {
            return; // nothing new, or a long session's later page view: after every kept one
        }
        int size = Math.min(kept + times.length, SessionDocument.MAX_PAGES);
        long[] mergedTimes = new long[size];
        String[] mergedIds = new String[size];
        String[] mergedUrls = new String[size];
        int i = 0;
        int j = 0;
        for (int k = 0; k < size; k++) {
            boolean fromKept = j >= times.length
                    || (i < kept && before(pageTimes[i], pageEventIds[i], times[j], ids[j]));
            mergedTimes[k] = fromKept ? pageTimes[i] : times[j];
            mergedIds[k] = fromKept ? pageEventIds[i] : ids[j];
            mergedUrls[k] = fromKept ? pageUrls[i++] : urls[j++];
        }
        pageTimes = mergedTimes;
        pageEventIds = mergedIds;
        pageUrls = mergedUrls;
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
}
