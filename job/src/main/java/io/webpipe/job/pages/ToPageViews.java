package io.webpipe.job.pages;

import io.webpipe.schema.WebEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Page views only, each reduced to what the page catalogue needs. */
public class ToPageViews implements FlatMapFunction<WebEvent, PageView> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(WebEvent event, Collector<PageView> out) {
        if (event.isPageView()) {
            out.collect(PageView.of(event));
        }
    }
}
