package io.webpipe.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refined session as stored in Elasticsearch behind the alias {@link Indices#SESSIONS}.
 *
 * <p>This class is the one definition of the session document: the job serializes it, the API
 * deserializes it, and {@code web-sessions.template.json} maps exactly these fields (a test in
 * this module keeps the two in step). Times are ISO-8601 UTC strings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = false)
public class SessionDocument {
    /** Longest {@link #pages} list kept per session. */
    public static final int MAX_PAGES = 100;

    public String sessionId;
    public String visitorId;
    public String userId;
    public String start;
    public String end;
    public long durationMs;
    public int eventCount;
    public int pageViews;
    public String entryUrl;
    public String exitUrl;
    public String entryTitle;
    public String exitTitle;
    public List<String> pages = new ArrayList<>();
    public Map<String, Integer> eventTypes = new LinkedHashMap<>();
    public boolean bounce;
    public String referrer;
    public String utmSource;
    public String utmMedium;
    public String utmCampaign;
    public String browser;
    public String os;
    public String deviceType;
    public String ip;
    public String updatedAt;

    public SessionDocument() {}
}
