package io.webpipe.schema;

import java.util.Objects;

/**
 * One web event as the job sees it after decoding (see {@link EventContract} for the rules).
 *
 * <p>A Flink POJO (public no-arg constructor, public fields of basic types) so that window state
 * is serialized by Flink's PojoSerializer, never by Kryo. The optional {@code properties} object
 * of the contract is validated but not carried: no session or page field is derived from it.
 */
public class WebEvent {
    public String eventId;
    public String type;
    /** Event time, epoch milliseconds UTC. */
    public long timestamp;
    public String visitorId;
    public String userId;
    public String url;
    public String pageId;
    public String pageTitle;
    public String referrer;
    public String userAgent;
    public String ip;

    public WebEvent() {}

    public boolean isPageView() {
        return EventContract.PAGE_VIEW.equals(type);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof WebEvent)) return false;
        WebEvent e = (WebEvent) o;
        return timestamp == e.timestamp
                && Objects.equals(eventId, e.eventId)
                && Objects.equals(type, e.type)
                && Objects.equals(visitorId, e.visitorId)
                && Objects.equals(userId, e.userId)
                && Objects.equals(url, e.url)
                && Objects.equals(pageId, e.pageId)
                && Objects.equals(pageTitle, e.pageTitle)
                && Objects.equals(referrer, e.referrer)
                && Objects.equals(userAgent, e.userAgent)
                && Objects.equals(ip, e.ip);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, timestamp, visitorId);
    }

    @Override
    public String toString() {
        return "WebEvent{" + eventId + ", " + type + ", " + timestamp + ", visitor=" + visitorId + ", url=" + url + "}";
    }
}
