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
    /** Distinct visitors: the estimate of {@link #visitorSketch}. */
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
}
