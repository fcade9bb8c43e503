package io.webpipe.job.pages;

import io.webpipe.job.Summary;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What a page's window needs of its page views, kept instead of the views (the page windows' state): how many, how
 * many by bots, the distinct visitors among the people, the earliest time and the latest view. The guard in front
 * has dropped redelivered events for as long as a page window accepts them, so each view comes once.
 *
 * <p>A Flink POJO (public fields, arrays rather than collections), so the state schema can evolve.
 */
public class PageWindowViews implements Summary<PageView, PageWindowViews> {
    /** The window state's type: Flink's POJO serializer (state schema evolution), never Kryo. */
    public static final TypeInformation<PageWindowViews> TYPE = TypeInformation.of(PageWindowViews.class);

    /** Views by people and bots. */
    public long views;
    public long botViews;
    /** People's visitor ids, each once, sorted (found by binary search). */
    public String[] visitorIds = new String[0];
    public long firstSeen = Long.MAX_VALUE;
    /** The latest view (event time, then eventId): its time, event id, page id, url and title. */
    public long lastSeen;
    public String lastEventId;
    public String pageId;
    public String url;
    public String pageTitle;

    public PageWindowViews() {}

    @Override
    public PageWindowViews add(PageView view) {
        views++;
        if (view.bot) {
            botViews++;
        } else {
            addVisitor(view.visitorId);
        }
        firstSeen = Math.min(firstSeen, view.timestamp);
        takeIfLatest(view.timestamp, view.eventId, view.pageId, view.url, view.pageTitle);
        return this;
    }

    /** Adds the views of {@code other} (Flink's aggregate contract; tumbling windows never merge). */
    @Override
    public PageWindowViews merge(PageWindowViews other) {
        views += other.views;
        botViews += other.botViews;
        for (String visitor : other.visitorIds) {
            addVisitor(visitor);
        }
        firstSeen = Math.min(firstSeen, other.firstSeen);
        if (other.lastEventId != null) {
            takeIfLatest(other.lastSeen, other.lastEventId, other.pageId, other.url, other.pageTitle);
        }
        return this;
    }

    /** The view {@code eventId} at {@code timestamp} becomes the latest if it is later (event time, then id). */
    private void takeIfLatest(long timestamp, String eventId, String viewPageId, String viewUrl, String title) {
        if (lastEventId == null || timestamp > lastSeen || (timestamp == lastSeen && eventId.compareTo(lastEventId) > 0)) {
            lastSeen = timestamp;
            lastEventId = eventId;
            pageId = viewPageId;
            url = viewUrl;
            pageTitle = title;
        }
    }

    /** A new array on every insert: a summary handed downstream keeps the visitors it was given. */
    private void addVisitor(String visitorId) {
        int at = Arrays.binarySearch(visitorIds, visitorId);
        if (at < 0) {
            int insert = -at - 1;
            String[] grown = new String[visitorIds.length + 1];
            System.arraycopy(visitorIds, 0, grown, 0, insert);
            grown[insert] = visitorId;
            System.arraycopy(visitorIds, insert, grown, insert + 1, visitorIds.length - insert);
            visitorIds = grown;
        }
    }
}
