package io.webpipe.job.upgrade;

import io.webpipe.job.pages.PageTotal;
import io.webpipe.job.pages.PageWindowSummary;

/**
 * One entry of {@code page-totals}' state on its way from an old savepoint to a new one: a page's totals as they
 * were, or views of an old page window that it had not reported to them yet. A Flink POJO.
 */
public class PageTotalsEntry {
    public String pageKey;
    /** Set for a page's totals. */
    public PageTotal total;
    /** Set for the views a page window had not reported. */
    public PageWindowSummary unreported;

    public PageTotalsEntry() {}

    static PageTotalsEntry total(String pageKey, PageTotal total) {
        PageTotalsEntry entry = new PageTotalsEntry();
        entry.pageKey = pageKey;
        entry.total = total;
        return entry;
    }

    static PageTotalsEntry unreported(PageWindowSummary views) {
        PageTotalsEntry entry = new PageTotalsEntry();
        entry.pageKey = views.pageKey;
        entry.unreported = views;
        return entry;
    }
}
