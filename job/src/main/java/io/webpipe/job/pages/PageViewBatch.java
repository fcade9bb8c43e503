package io.webpipe.job.pages;

import io.webpipe.job.types.SerializerTypeInfo;
import io.webpipe.schema.WebEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/**
 * Page views of one page and one page window, handed on together ({@link BatchPageViews}) to be summarized at once
 * ({@link SummarizePageBatches}): one summary for the page's totals per batch instead of one per view.
 */
public class PageViewBatch {
    /** Its type between operators ({@link PageViewBatchSerializer}). */
    public static final TypeInformation<PageViewBatch> TYPE = new SerializerTypeInfo<>(PageViewBatch.class, PageViewBatchSerializer.INSTANCE);

    /** The page ({@link PageKeys}): the key of the summaries and the totals. */
    public String pageKey;
    /** At least one; all of {@link #pageKey} and in the same page window. */
    public PageView[] views;

    public PageViewBatch() {}

    public PageViewBatch(String pageKey, PageView[] views) {
        this.pageKey = pageKey;
        this.views = views;
    }

    /** Each view back as an event (of type page_view), as the late topic records it. */
    public void toEvents(Collector<WebEvent> out) {
        for (PageView view : views) {
            out.collect(view.toEvent());
        }
    }

    /** A batch of one view. */
    public static PageViewBatch of(PageView view) {
        return new PageViewBatch(view.pageKey, new PageView[] {view});
    }
}
