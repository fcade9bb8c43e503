package io.webpipe.job.pages;

import org.apache.flink.api.common.functions.AggregateFunction;

/** The page windows' incremental aggregation: each batch's views are folded into the window's counts on arrival. */
public final class SummarizePageViews implements AggregateFunction<PageViewBatch, PageWindowViews, PageWindowViews> {
    private static final long serialVersionUID = 1L;

    @Override
    public PageWindowViews createAccumulator() {
        return new PageWindowViews();
    }

    @Override
    public PageWindowViews add(PageViewBatch batch, PageWindowViews window) {
        for (PageView view : batch.views) {
            window.add(view);
        }
        return window;
    }

    @Override
    public PageWindowViews getResult(PageWindowViews window) {
        return window;
    }

    @Override
    public PageWindowViews merge(PageWindowViews a, PageWindowViews b) {
        return a.merge(b);
    }
}
