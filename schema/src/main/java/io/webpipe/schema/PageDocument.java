package io.webpipe.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of the catalogue behind the alias {@link Indices#PAGES}: the job keeps one document per
 * {@code pageId} (or url when the page has no id), the API searches its titles.
 *
 * <p>This class is the one definition of the page document; {@code web-pages.template.json} maps
 * exactly these fields (a test in this module keeps the two in step). Times are ISO-8601 UTC strings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PageDocument {
    public String pageId;
    public String url;
    /** The latest title seen for the page. */
    public String pageTitle;
    /** Minutes of {@link #recentViews}: the realtime window. */
    public static final int RECENT_MINUTES = 30;

    /** Page views by people: bots (crawlers, headless browsers) are counted in {@link #botViews} only. */
    public long views;
    public long visitors;
    public long botViews;
    /**
     * Page views (bots excluded) per event-time minute of the last {@link #RECENT_MINUTES} minutes, oldest first,
     * kept current while the minute runs: the realtime figures.
     */
    public List<MinuteViews> recentViews = new ArrayList<>();
    public String firstSeen;
    public String lastSeen;
    public String updatedAt;

    public PageDocument() {}

    /** One entry of {@link #recentViews}. */
    public static class MinuteViews {
        /** The minute's start, ISO-8601 UTC. */
        public String minute;
        public long views;

        public MinuteViews() {}

        public MinuteViews(String minute, long views) {
            this.minute = minute;
            this.views = views;
        }
    }
}
