package io.webpipe.api.sessions;

import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.Json;
import io.webpipe.api.search.ReadAlias;
import io.webpipe.schema.SessionDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.sort.SortOrder;

/**
 * Session lists and single sessions. Lists are newest first and paged with {@code search_after}
 * on (start, sessionId), so a page deep in the result costs the same as the first one and is
 * never limited by {@code index.max_result_window}.
 */
public final class SessionSearch {
    private final ReadAlias index;

    public SessionSearch(ReadAlias index) {
        this.index = index;
    }

    /** One page of sessions; {@code cursor} is the nextCursor of the previous page or null. */
    public SessionPage list(SessionFilter filter, int size, String cursor) {
        SearchSourceBuilder source = new SearchSourceBuilder()
                .query(filter.toQuery())
                .size(size + 1) // one more tells whether another page follows
                .sort(SessionFilter.START, SortOrder.DESC)
                .sort("sessionId", SortOrder.DESC)
                .trackTotalHits(false);
        Object[] after = Cursor.decode(cursor);
        if (after != null) {
            source.searchAfter(after);
        }
        SearchHit[] hits = index.search(source).getHits().getHits();
        List<SessionDocument> sessions = new ArrayList<>(Math.min(hits.length, size));
        for (int i = 0; i < hits.length && i < size; i++) {
            sessions.add(read(hits[i].getSourceRef(), hits[i].getId()));
        }
        String next = hits.length > size ? Cursor.encode(hits[size - 1].getSortValues()) : null;
        return new SessionPage(sessions, next);
    }

    /** The session by its id: the job writes each session under its {@code sessionId} as document id, and a get is the cheapest read. */
    public SessionDocument get(String sessionId) {
        BytesReference source = index.get(sessionId);
        if (source == null) {
            throw ApiException.notFound("no session with sessionId '" + sessionId + "'");
        }
        return read(source, sessionId);
    }

    private static SessionDocument read(BytesReference source, String id) {
        try {
            return Json.MAPPER.readValue(source.streamInput(), SessionDocument.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable session document " + id, e);
        }
    }

    /** A page of sessions and the cursor of the next page (null on the last page). */
    public static final class SessionPage {
        public final List<SessionDocument> sessions;
        public final int count;
        public final String nextCursor;

        SessionPage(List<SessionDocument> sessions, String nextCursor) {
            this.sessions = sessions;
            this.count = sessions.size();
            this.nextCursor = nextCursor;
        }
    }
}
