package io.webpipe.job.pages;

import io.webpipe.schema.WebEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One counted page view (a Flink POJO: window contents in state). */
public class PageView {
    /** Elasticsearch refuses document ids longer than 512 bytes. */
    static final int MAX_ID_BYTES = 512;

    /** The page document id: {@code pageId}, else the url; hashed when longer than Elasticsearch allows. */
    public String pageKey;
    public String pageId;
    public String url;
    public String pageTitle;
    public String visitorId;
    public String eventId;
    public long timestamp;

    public PageView() {}

    public static PageView of(WebEvent event) {
        PageView v = new PageView();
        v.pageKey = keyOf(event);
        v.pageId = event.pageId;
        v.url = event.url;
        v.pageTitle = event.pageTitle;
        v.visitorId = event.visitorId;
        v.eventId = event.eventId;
        v.timestamp = event.timestamp;
        return v;
    }

    /** The page of a page view event (which always has a url). */
    public static String keyOf(WebEvent event) {
        String key = event.pageId != null && !event.pageId.isEmpty() ? event.pageId : event.url;
        return key.getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES ? key : "sha256-" + sha256(key);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when this view is newer than one at {@code timestamp} with {@code eventId} (ties by event id: any order of arrival gives the same "latest"). */
    public boolean isAfter(long otherTimestamp, String otherEventId) {
        return timestamp != otherTimestamp ? timestamp > otherTimestamp
                : otherEventId == null || eventId.compareTo(otherEventId) > 0;
    }
}
