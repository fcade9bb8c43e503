package io.webpipe.job.upgrade;

import io.webpipe.job.pages.PageView;

/**
 * One entry of {@code page-windows}' state on its way from an old savepoint to a new one: a view of an open window,
 * or what a window had reported by the savepoint (its per-window state). A Flink POJO.
 */
public class PageWindowEntry {
    public String pageKey;
    /** Set for a view of an open window. */
    public PageView view;
    public boolean finalFired;
    /** For a window's reported counts: the window, and the counts (null when none was reported). */
    public long windowStart;
    public long windowEnd;
    public Long reportedViews;
    public Long reportedBotViews;

    public PageWindowEntry() {}

    static PageWindowEntry view(String pageKey, PageView view, boolean finalFired) {
        PageWindowEntry entry = new PageWindowEntry();
        entry.pageKey = pageKey;
        entry.view = view;
        entry.finalFired = finalFired;
        return entry;
    }

    static PageWindowEntry reported(String pageKey, long windowStart, long windowEnd, Long views, Long botViews) {
        PageWindowEntry entry = new PageWindowEntry();
        entry.pageKey = pageKey;
        entry.windowStart = windowStart;
        entry.windowEnd = windowEnd;
        entry.reportedViews = views;
        entry.reportedBotViews = botViews;
        return entry;
    }
}
