package io.webpipe.schema;

import com.fasterxml.jackson.annotation.JsonInclude;

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
    public long views;
    public long visitors;
    public String firstSeen;
    public String lastSeen;
    public String updatedAt;

    public PageDocument() {}
}
