package io.webpipe.job.e2e;

import io.webpipe.schema.PageDocument;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model of a page's {@code recentViews} once every view is counted: people's views per event-time minute,
 * the minutes within {@link PageDocument#RECENT_MINUTES} of the page's latest one, oldest first.
 */
final class ExpectedRecentViews {
    private static final long MINUTE_MS = 60_000;

    private final Map<String, TreeMap<Long, Long>> viewsByMinute = new HashMap<>();

    /** A page view by a person at event time {@code timestamp}. */
    void view(String pageKey, long timestamp) {
        viewsByMinute.computeIfAbsent(pageKey, k -> new TreeMap<>()).merge(Math.floorDiv(timestamp, MINUTE_MS), 1L, Long::sum);
    }

    /** Sets the recent views of every page seen. */
    void fill(Map<String, PageDocument> pages) {
        viewsByMinute.forEach((pageKey, minutes) -> {
            PageDocument page = pages.get(pageKey);
            page.recentViews.clear();
            minutes.tailMap(minutes.lastKey() - PageDocument.RECENT_MINUTES + 1).forEach((minute, views) ->
                    page.recentViews.add(new PageDocument.MinuteViews(Instant.ofEpochMilli(minute * MINUTE_MS).toString(), views)));
        });
    }
}
