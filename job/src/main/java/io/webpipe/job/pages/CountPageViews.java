package io.webpipe.job.pages;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** The page windows' incremental aggregation: each view is folded into its window's {@link PageWindowViews} on arrival. */
public class CountPageViews implements AggregateFunction<PageView, PageWindowViews, PageWindowViews> {
    private static final long serialVersionUID = 1L;

    /** The window state's type: Flink's POJO serializer (state schema evolution), never Kryo. */
    public static final TypeInformation<PageWindowViews> TYPE = TypeInformation.of(PageWindowViews.class);

    @Override
    public PageWindowViews createAccumulator() {
        return new PageWindowViews();
    }

    @Override
    public PageWindowViews add(PageView view, PageWindowViews views) {
        return views.add(view);
    }

    @Override
    public PageWindowViews getResult(PageWindowViews views) {
        return views;
    }

    @Override
    public PageWindowViews merge(PageWindowViews a, PageWindowViews b) {
        return a.merge(b);
    }
}
