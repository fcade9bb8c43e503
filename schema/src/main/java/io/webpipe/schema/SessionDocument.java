package io.webpipe.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A refined session as stored in Elasticsearch behind the alias {@link Indices#SESSIONS}.
 *
 * <p>This class is the one definition of the session document: the job serializes it, the API
 * deserializes it, and {@code web-sessions.template.json} maps exactly these fields (a test in
 * this module keeps the two in step). Times are ISO-8601 UTC strings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = false)
@JsonIgnoreProperties(value = SessionDocument.VISITOR_HASH, allowGetters = true)
public class SessionDocument {
    /** Longest {@link #pages} list kept per session. */
    public static final int MAX_PAGES = 100;
    /** The field of {@link #visitorHash()}: distinct visitors are counted on it. */
    public static final String VISITOR_HASH = "visitorHash";
    private static final long FNV_OFFSET_BASIS = -3750763034362895579L; // 0xcbf29ce484222325
    private static final long FNV_PRIME = 1099511628211L;

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
    /**
     * Events per type, most frequent first (ties by name), at most
     * {@link EventContract#MAX_SESSION_EVENT_TYPES} entries, the rest summed under
     * {@link EventContract#OTHER_TYPES}. A list with fixed field names: type names are input, and
     * as field names they would grow the index mapping without bound.
     */
    @JsonDeserialize(using = EventTypesReader.class)
    public List<EventTypeCount> eventTypes = new ArrayList<>();
    public boolean bounce;
    /**
     * True while the session is open: its document is written early and kept current, then replaced by the final
     * one ({@code false}) under the same {@link #sessionId}.
     */
    public boolean live;
    /** GA4's engaged session: longer than 10 s, or at least 2 page views, or a conversion event. */
    public boolean engaged;
    /** The default channel grouping of the session's source (referrer and UTM). */
    public String channel;
    /** A crawler or a headless browser, by its user agent: left out of statistics unless asked for. */
    public boolean bot;
    /** The path of the first page viewed, without query string or fragment: for grouping. */
    public String landingPage;
    /** The path of the last page viewed, without query string or fragment. */
    public String exitPage;
    public String referrer;
    /** The host of {@link #referrer}, lower case, for grouping. */
    public String referrerHost;
    public String utmSource;
    public String utmMedium;
    public String utmCampaign;
    public String browser;
    public String os;
    public String deviceType;
    public String ip;
    public String updatedAt;

    public SessionDocument() {}

    /**
     * Written with the document (derived, never read back): Elasticsearch counts distinct visitors on this number in
     * a third of the time it takes on the {@link #visitorId} keyword, whose terms it must look up and hash in every
     * segment (a month of a million sessions: 39-51 ms against 126-134 ms, api bench README).
     */
    @JsonProperty(VISITOR_HASH)
    public Long visitorHash() {
        return visitorId == null ? null : visitorHash(visitorId);
    }

    /**
     * 64-bit FNV-1a over the id's UTF-16 code units: simple enough that the migration script
     * ({@code web-sessions.migrate.painless}) computes the same for documents copied from older versions.
     */
    public static long visitorHash(String visitorId) {
        long hash = FNV_OFFSET_BASIS;
        for (int i = 0; i < visitorId.length(); i++) {
            hash ^= visitorId.charAt(i);
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** One entry of {@link #eventTypes}. */
    @JsonPropertyOrder({"type", "count"})
    public static class EventTypeCount {
        public String type;
        public int count;

        public EventTypeCount() {}

        public EventTypeCount(String type, int count) {
            this.type = type;
            this.count = count;
        }
    }

    /**
     * Reads {@link #eventTypes} in the current shape and in v1's ({@code {"page_view": 3}}), so that readers
     * keep working on an index that was not migrated yet (index/README.md, Migrations).
     */
    static final class EventTypesReader extends StdDeserializer<List<EventTypeCount>> {
        private static final long serialVersionUID = 1L;

        EventTypesReader() {
            super(List.class);
        }

        @Override
        public List<EventTypeCount> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = context.readTree(parser);
            List<EventTypeCount> counts = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(t -> counts.add(new EventTypeCount(t.path("type").asText(), t.path("count").asInt())));
            } else {
                node.fields().forEachRemaining(t -> counts.add(new EventTypeCount(t.getKey(), t.getValue().asInt())));
                counts.sort(Comparator.comparingInt((EventTypeCount t) -> -t.count).thenComparing(t -> t.type));
            }
            return counts;
        }
    }
}
