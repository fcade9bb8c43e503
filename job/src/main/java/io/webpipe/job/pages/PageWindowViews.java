package io.webpipe.job.pages;

import java.util.Arrays;

/**
 * What a page's window needs of its page views, kept instead of the views (the page windows' state): how many, how
 * many by bots, the distinct visitors among the people, the earliest time and the latest view. The guard in front
 * has dropped redelivered events for as long as a page window accepts them, so each view comes once.
 *
 * <p>A Flink POJO (public fields, arrays rather than collections), so the state schema can evolve.
 */
public class PageWindowViews {
    /** Views by people and bots. */
    public long views;
    public long botViews;
    /** People's visitor ids, each once, sorted (found by binary search). */
    public String[] visitorIds = new String[0];
    public long firstSeen = Long.MAX_VALUE;
    /** The latest view (event time, then eventId): its time, event id, page id, url and title. */
    public long lastSeen;
    public String lastEventId;
    public String pageId;
    public String url;
    public String pageTitle;

    public PageWindowViews() {}

    public PageWindowViews add(PageView view) {
        views++;
        if (view.bot) {
            botViews++;
        } else {
            addVisitor(view.visitorId);
        }
        firstSeen = Math.min(firstSeen, view.timestamp);
        if (isLaterThanLatest(view.timestamp, view.eventId)) {
            lastSeen = view.timestamp;
            lastEventId = view.eventId;
            pageId = view.pageId;
            url = view.url;
            pageTitle = view.pageTitle;
        }
        return this;
    }

    /** Adds the views of {@code other} (Flink's aggregate contract; tumbling windows never merge). */
    public PageWindowViews merge(PageWindowViews other) {
        views += other.views;
        botViews += other.botViews;
        for (String visitor : other.visitorIds) {
            addVisitor(visitor);
        }
        firstSeen = Math.min(firstSeen, other.firstSeen);
        if (other.lastEventId != null && isLaterThanLatest(other.lastSeen, other.lastEventId)) {
            lastSeen = other.lastSeen;
            lastEventId = other.lastEventId;
            pageId = other.pageId;
            url = other.url;
            pageTitle = other.pageTitle;
        }
        return this;
    }

    private boolean isLaterThanLatest(long timestamp, String eventId) {
        return lastEventId == null || timestamp > lastSeen || (timestamp == lastSeen && eventId.compareTo(lastEventId) > 0);
    }

    /** A new array on every insert: a summary handed downstream keeps the visitors it was given. */
    private void addVisitor(String visitorId) {
        int at = Arrays.binarySearch(visitorIds, visitorId);
        if (at < 0) {
            int insert = -at - 1;
            String[] grown = new String[visitorIds.length + 1];
            System.arraycopy(visitorIds, 0, grown, 0, insert);
            grown[insert] = visitorId;
            System.arraycopy(visitorIds, insert, grown, insert + 1, visitorIds.length - insert);
            visitorIds = grown;
        }
    }
}
