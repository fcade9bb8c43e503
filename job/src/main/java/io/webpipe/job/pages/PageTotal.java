package io.webpipe.job.pages;

/** The running totals of one page (a Flink POJO in keyed state of {@link PageTotals}). */
public class PageTotal {
    public String pageId;
    public String url;
    public String pageTitle;
    public long views;
    /** Views per minute of the latest minutes: the realtime figures. Null in state from before it was added. */
    public RecentViews recentViews = new RecentViews();
    public long botViews;
    /** Distinct visitors: the estimate of {@link #visitorSketch} when the last document was written. */
    public long visitors;
    /** The page's distinct visitors: a {@link VisitorSketch} image. */
    public byte[] visitorSketch;
    public long firstSeen = Long.MAX_VALUE;
    public long lastSeen = Long.MIN_VALUE;
    /** Event id of the latest view (ties of {@link #lastSeen}). */
    public String lastEventId;
    /** The external version of the last document written (its {@code updatedAt}, epoch ms). */
    public long version;
    /** Processing time at which the pending document write is due; 0 when nothing is pending. */
    public long flushAt;

    public PageTotal() {}

    /** Adds what {@code summary} says of the page's views. */
    public void add(PageWindowSummary summary) {
        views += summary.views;
        botViews += summary.botViews;
        if (recentViews == null) {
            recentViews = new RecentViews();
        }
        recentViews.add(summary.windowStart, summary.views);
        visitorSketch = VisitorSketch.addAll(visitorSketch, summary.visitors);
        firstSeen = Math.min(firstSeen, summary.firstSeen);
        takeIfLatest(summary.lastSeen, summary.lastEventId, summary.pageId, summary.url, summary.pageTitle);
    }

    /** Adds the views of {@code other}, the totals of the same page (its writes and timers are not touched). */
    public void addAll(PageTotal other) {
        views += other.views;
        botViews += other.botViews;
        if (recentViews == null) {
            recentViews = new RecentViews();
        }
        if (other.recentViews != null) {
            recentViews.addAll(other.recentViews);
        }
        visitorSketch = VisitorSketch.addAll(visitorSketch, other.visitorSketch);
        firstSeen = Math.min(firstSeen, other.firstSeen);
        if (other.lastEventId != null) {
            takeIfLatest(other.lastSeen, other.lastEventId, other.pageId, other.url, other.pageTitle);
        }
    }

    /** The view {@code eventId} at {@code timestamp} gives the page's id, url and title if it is the latest. */
    private void takeIfLatest(long timestamp, String eventId, String viewPageId, String viewUrl, String title) {
        if (PageView.isAfter(timestamp, eventId, lastSeen, lastEventId)) {
            lastSeen = timestamp;
            lastEventId = eventId;
            pageId = viewPageId;
            url = viewUrl;
            if (title != null) {
                pageTitle = title;
            }
        } else if (pageTitle == null) {
            pageTitle = title;
        }
    }
}
