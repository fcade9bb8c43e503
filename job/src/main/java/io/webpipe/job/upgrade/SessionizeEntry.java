package io.webpipe.job.upgrade;

import io.webpipe.job.session.WrittenSession;
import io.webpipe.schema.WebEvent;

/**
 * One entry of {@code sessionize}'s state on its way from an old savepoint to a new one: an event of an open
 * session window, or a session document already written ({@code written-sessions}). A Flink POJO.
 */
public class SessionizeEntry implements WindowEntry {
    public String visitorId;
    /** Set for an event of an open window. */
    public WebEvent event;
    /** The event's window has fired its final result already (it waits out the allowed lateness). */
    public boolean finalFired;
    /** Set for a written session, with its document id. */
    public WrittenSession written;
    public String sessionId;

    public SessionizeEntry() {}

    static SessionizeEntry event(String visitorId, WebEvent event, boolean finalFired) {
        SessionizeEntry entry = new SessionizeEntry();
        entry.visitorId = visitorId;
        entry.event = event;
        entry.finalFired = finalFired;
        return entry;
    }

    static SessionizeEntry written(String visitorId, String sessionId, WrittenSession written) {
        SessionizeEntry entry = new SessionizeEntry();
        entry.visitorId = visitorId;
        entry.sessionId = sessionId;
        entry.written = written;
        return entry;
    }

    @Override
    public boolean finalFired() {
        return finalFired;
    }
}
