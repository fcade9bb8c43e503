package io.webpipe.job.pages;

import io.webpipe.job.session.UserAgents;
import io.webpipe.schema.WebEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/** Page views only, each reduced to what the page catalogue needs, bots marked by their user agent. */
public class ToPageViews extends RichFlatMapFunction<WebEvent, PageView> {
    private static final long serialVersionUID = 1L;

    private transient UserAgents userAgents;

    @Override
    public void open(OpenContext openContext) {
        userAgents = new UserAgents();
    }

    @Override
    public void flatMap(WebEvent event, Collector<PageView> out) {
        if (event.isPageView()) {
            out.collect(PageView.of(event, userAgents.parse(event.userAgent).bot));
        }
    }
}
