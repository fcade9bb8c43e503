package io.webpipe.job.pages;

/**
 * What one firing of a page's tumbling window adds to the page's totals (a Flink POJO). {@code views}
 * counts only distinct views not reported by an earlier firing of the same window; the other fields are
 * idempotent (visitors are a sketch, whose union with itself is itself; the latest view and the earliest time are maxima and minima).
 */
public class PageWindowSummary {
    public String pageKey;
    /** The start of the window (event time, epoch ms): the minute of {@link #views} in the page's recent views. */
    public long windowStart;
    /** Views by people; {@link #visitors} are theirs. */
    public long views;
    /** Views by bots, new in this firing like {@link #views}. */
    public long botViews;
    /** People's distinct visitors in the window so far: a {@link VisitorSketch} image (null: none). */
    public byte[] visitors;
    public long firstSeen;
    /** The latest view of the window: its time, event id, page id, url and title. */
    public long lastSeen;
    public String lastEventId;
    public String pageId;
    public String url;
    public String pageTitle;

    public PageWindowSummary() {}
}
