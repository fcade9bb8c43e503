package io.webpipe.job.pages;

import io.webpipe.job.Summary;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What the page statistics need of some page views of a page window ({@link SummarizePageViews}; the page windows'
 * state in savepoints of the jobs before, which {@code MigrateWindowState} reads): how many, how many by bots, the
 * distinct visitors among the people (a {@link VisitorSketch}: bounded, so a view costs the same however popular the
 * page), the earliest time and the latest view. The guard in front has dropped redelivered events for as long as a
 * page window accepts them, so each view comes once.
 *
 * <p>A Flink POJO (public fields, arrays rather than collections), so the state schema can evolve.
 */
public class PageWindowViews implements Summary<PageView, PageWindowViews> {
    /** The old window state's type: Flink's POJO serializer, never Kryo. */
    public static final TypeInformation<PageWindowViews> TYPE = TypeInformation.of(PageWindowViews.class);

    /** Views by people and bots. */
    public long views;
    public long botViews;
    /** People's distinct visitors: a {@link VisitorSketch} image, null while there are none. */
    public byte[] visitors;
    /**
     * The visitor ids a window of the previous format kept (restored from its savepoints, null otherwise): a sorted
     * array copied on every new visitor, and read and written whole per view with RocksDB, so a view cost as much as the
     * page's visitors in the window. Folded into {@link #visitors} by {@link #visitorsSoFar}.
     */
    public String[] visitorIds;
    public long firstSeen = Long.MAX_VALUE;
    /** The latest view (event time, then eventId): its time, event id, page id, url and title. */
    public long lastSeen;
    public String lastEventId;
    public String pageId;
    public String url;
    public String pageTitle;

    public PageWindowViews() {}

    @Override
    public PageWindowViews add(PageView view) {
        views++;
        if (view.bot) {
            botViews++;
        } else {
            visitors = VisitorSketch.add(visitorsSoFar(), view.visitorId);
        }
        firstSeen = Math.min(firstSeen, view.timestamp);
        takeIfLatest(view.timestamp, view.eventId, view.pageId, view.url, view.pageTitle);
        return this;
    }

    /** Adds the views of {@code other} (Flink's aggregate contract; tumbling windows never merge). */
    @Override
    public PageWindowViews merge(PageWindowViews other) {
        views += other.views;
        botViews += other.botViews;
        visitors = VisitorSketch.union(visitorsSoFar(), other.visitorsSoFar());
        firstSeen = Math.min(firstSeen, other.firstSeen);
        if (other.lastEventId != null) {
            takeIfLatest(other.lastSeen, other.lastEventId, other.pageId, other.url, other.pageTitle);
        }
        return this;
    }

    /** The view {@code eventId} at {@code timestamp} becomes the latest if it is later (event time, then id). */
    private void takeIfLatest(long timestamp, String eventId, String viewPageId, String viewUrl, String title) {
        if (PageView.isAfter(timestamp, eventId, lastSeen, lastEventId)) {
            lastSeen = timestamp;
            lastEventId = eventId;
            pageId = viewPageId;
            url = viewUrl;
            pageTitle = title;
        }
    }

    /** The distinct visitors so far, those of a restored window of the previous format included. */
    public byte[] visitorsSoFar() {
        if (visitorIds != null) {
            for (String visitor : visitorIds) {
                visitors = VisitorSketch.add(visitors, visitor);
            }
            visitorIds = null;
        }
        return visitors;
    }
}
