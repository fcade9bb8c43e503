package io.webpipe.job;

import io.webpipe.schema.EventContract;
import io.webpipe.schema.WebEvent;

/** Small builders of test events. */
public final class Events {
    private Events() {}

    public static WebEvent pageView(String eventId, String visitorId, long timestamp, String url) {
        WebEvent e = new WebEvent();
        e.eventId = eventId;
        e.type = EventContract.PAGE_VIEW;
        e.timestamp = timestamp;
        e.visitorId = visitorId;
        e.url = url;
        e.pageTitle = "title of " + url;
        return e;
    }

    public static WebEvent click(String eventId, String visitorId, long timestamp) {
        WebEvent e = new WebEvent();
        e.eventId = eventId;
        e.type = EventContract.CLICK;
        e.timestamp = timestamp;
        e.visitorId = visitorId;
        return e;
    }
}
