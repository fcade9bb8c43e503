package io.webpipe.job.pages;

import io.webpipe.schema.EventContract;
import io.webpipe.schema.WebEvent;

/** What the page catalogue needs of a page view (a Flink POJO): less to hold than the event. */
public class PageView {
    /** The page (and its document id), see {@link PageKeys}. */
    public String pageKey;
    public String pageId;
    public String url;
    public String pageTitle;
    public String visitorId;
    public String eventId;
    public long timestamp;
    /** Viewed by a crawler or a headless browser: counted apart from people's views. */
    public boolean bot;

    public PageView() {}

    public static PageView of(WebEvent event, boolean bot) {
        PageView v = new PageView();
        v.pageKey = PageKeys.of(event);
        v.pageId = event.pageId;
        v.url = event.url;
        v.pageTitle = event.pageTitle;
        v.visitorId = event.visitorId;
        v.eventId = event.eventId;
        v.timestamp = event.timestamp;
        v.bot = bot;
        return v;
    }

    /**
     * Whether the view {@code eventId} at {@code timestamp} comes after the latest so far, {@code latestEventId} at
     * {@code latestTime} (none yet: null): the order the page figures take the latest view in, event time then id.
     */
    static boolean isAfter(long timestamp, String eventId, long latestTime, String latestEventId) {
        return latestEventId == null || timestamp > latestTime || (timestamp == latestTime && eventId.compareTo(latestEventId) > 0);
    }

    /** Back to an event (of type page_view), as the late topic records it. */
    public WebEvent toEvent() {
        WebEvent e = new WebEvent();
        e.eventId = eventId;
        e.type = EventContract.PAGE_VIEW;
        e.timestamp = timestamp;
        e.visitorId = visitorId;
        e.url = url;
        e.pageId = pageId;
        e.pageTitle = pageTitle;
        return e;
    }
}
