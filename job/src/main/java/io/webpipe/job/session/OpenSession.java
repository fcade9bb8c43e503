package io.webpipe.job.session;

/**
 * One session of a visitor that is not purged yet ({@link VisitorSessions}): the summary of its events and what its
 * documents need next. Its event-time interval is the session window's: {@code [firstTime, lastTime + gap)}. A
 * part of {@link VisitorSessions}' state ({@link VisitorSessionsSerializer}).
 */
public class OpenSession {
    public SessionSummary summary;
    /** Its final document is written: the watermark passed its end (it waits out the allowed lateness). */
    public boolean finalWritten;
    /** It changed while current by the wall clock: its live document is rewritten at the next tick. */
    public boolean liveDue;

    public OpenSession() {}

    OpenSession(SessionSummary summary, boolean finalWritten) {
        this.summary = summary;
        this.finalWritten = finalWritten;
    }

    /** The session window's last millisecond: the watermark passing it makes the session final. */
    long maxTimestamp(long gapMs) {
        return summary.lastTime + gapMs - 1;
    }

    /** True when the window {@code [start, start + gapMs)} touches this session's window, so that they merge. */
    boolean touches(long start, long gapMs) {
        return summary.firstTime <= start + gapMs && summary.lastTime + gapMs >= start;
    }
}
