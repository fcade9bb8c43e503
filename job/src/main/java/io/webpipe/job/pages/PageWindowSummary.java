package io.webpipe.job.pages;

/**
 * What some views of a page in one page window add to the page's totals (a Flink POJO): {@link SummarizePageViews}
 * sends one per page, window and batch of views, across the shuffle by page. The views are counted once each (the guard in front drops copies); the other fields
 * are idempotent (visitors are a sketch, whose union with itself is itself; the latest view and the earliest time are
 * maxima and minima).
 */
public class PageWindowSummary {
    public String pageKey;
    /** The start of the window (event time, epoch ms): the minute of {@link #views} in the page's recent views. */
    public long windowStart;
    /** Views by people; {@link #visitors} are theirs. */
    public long views;
    /** Views by bots. */
    public long botViews;
    /** People's distinct visitors among the views: a {@link VisitorSketch} image (null: none). */
    public byte[] visitors;
    public long firstSeen;
    /** The latest of the views: its time, event id, page id, url and title. */
    public long lastSeen;
    public String lastEventId;
    public String pageId;
    public String url;
    public String pageTitle;

    public PageWindowSummary() {}

    /** The summary of {@code views} of page {@code pageKey} in the window starting at {@code windowStart}. */
    public static PageWindowSummary of(String pageKey, long windowStart, PageWindowViews views) {
        PageWindowSummary summary = new PageWindowSummary();
        summary.pageKey = pageKey;
        summary.windowStart = windowStart;
        summary.botViews = views.botViews;
        summary.views = views.views - views.botViews;
        summary.visitors = views.visitorsSoFar();
        summary.firstSeen = views.firstSeen;
        summary.lastSeen = views.lastSeen;
        summary.lastEventId = views.lastEventId;
        summary.pageId = views.pageId;
        summary.url = views.url;
        summary.pageTitle = views.pageTitle;
        return summary;
    }
}
