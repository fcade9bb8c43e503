package io.webpipe.job.pages;

import io.webpipe.schema.PageDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A page's views per event-time minute over its latest {@link PageDocument#RECENT_MINUTES} minutes (a Flink POJO
 * in {@link PageTotal}): a ring of one slot per minute, so the state stays the same size whatever the traffic. A
 * minute takes the slot of the minute {@code RECENT_MINUTES} before it, which is out of range by then; views of a
 * minute older than the one in its slot are out of range already and left out.
 */
public class RecentViews {
    static final long MINUTE_MS = 60_000;

    /** Per slot ({@code minute % RECENT_MINUTES}): the minute it counts (epoch minutes), and its views. */
    public long[] minutes = new long[PageDocument.RECENT_MINUTES];
    public long[] views = new long[PageDocument.RECENT_MINUTES];

    public RecentViews() {}

    /** Adds {@code count} views at event time {@code timestamp} (epoch ms). */
    public void add(long timestamp, long count) {
        if (count == 0) {
            return;
        }
        long minute = Math.floorDiv(timestamp, MINUTE_MS);
        int slot = (int) Math.floorMod(minute, (long) minutes.length);
        if (views[slot] == 0 || minutes[slot] < minute) { // unused, or its minute is out of range now
            minutes[slot] = minute;
            views[slot] = 0;
        }
        if (minutes[slot] == minute) {
            views[slot] += count;
        }
    }

    /** Adds the views of {@code other}, minute by minute. */
    public void addAll(RecentViews other) {
        for (int i = 0; i < other.minutes.length; i++) {
            add(other.minutes[i] * MINUTE_MS, other.views[i]);
        }
    }

    /** The minutes with views within {@code RECENT_MINUTES} of the latest one, oldest first. */
    public List<PageDocument.MinuteViews> toDocument() {
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < minutes.length; i++) {
            if (views[i] > 0) {
                latest = Math.max(latest, minutes[i]);
            }
        }
        List<PageDocument.MinuteViews> recent = new ArrayList<>();
        for (long minute = latest - minutes.length + 1; latest != Long.MIN_VALUE && minute <= latest; minute++) {
            int slot = (int) Math.floorMod(minute, (long) minutes.length);
            if (minutes[slot] == minute && views[slot] > 0) {
                recent.add(new PageDocument.MinuteViews(Instant.ofEpochMilli(minute * MINUTE_MS).toString(), views[slot]));
            }
        }
        return recent;
    }
}
