package io.webpipe.job.upgrade;

import io.webpipe.job.session.SessionSummary;
import io.webpipe.job.session.WrittenSession;

/**
 * One entry of the session windows' state on its way from an old savepoint to the sessionizer's: an open session
 * window's summary, or a session document already written ({@code written-sessions}). A Flink POJO.
 */
public class SessionizeEntry {
    public String visitorId;
    /** Set for an open session window: the summary of its events. */
    public SessionSummary summary;
    /** The window has fired its final result already (it waits out the allowed lateness). */
    public boolean finalFired;
    /** Set for a written session, with its document id. */
    public WrittenSession written;

    public SessionizeEntry() {}

    static SessionizeEntry window(String visitorId, SessionSummary summary, boolean finalFired) {
        SessionizeEntry entry = new SessionizeEntry();
        entry.visitorId = visitorId;
        entry.summary = summary;
        entry.finalFired = finalFired;
        return entry;
    }

    static SessionizeEntry written(String visitorId, WrittenSession written) {
        SessionizeEntry entry = new SessionizeEntry();
        entry.visitorId = visitorId;
        entry.written = written;
        return entry;
    }
}
