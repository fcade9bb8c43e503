package io.webpipe.job.session;

import io.webpipe.job.types.Inserted;
import io.webpipe.schema.WebEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything {@link Sessionize} keeps for a visitor, in one value, so that an event costs one read and one write of
 * keyed state (with RocksDB each is a lookup and a deserialization): the open sessions with their summaries, the
 * documents written for them, and the timers it has asked for. Serialized by {@link VisitorSessionsSerializer}.
 *
 * <p>The sessions follow Flink's session windows exactly: an event opens the window {@code [t, t + gap)}, and
 * windows that touch merge, so that events at most {@code gap} apart are one session.
 */
public class VisitorSessions {
    /** By start, pairwise more than the gap apart. */
    public OpenSession[] sessions = new OpenSession[0];
    /** The documents written for the open sessions, each with its session's interval when written. */
    public WrittenSession[] written = new WrittenSession[0];
    /** The earliest event-time timer asked for that has not fired yet ({@code Long.MAX_VALUE}: none). */
    public long timer = Long.MAX_VALUE;
    /** The processing-time tick asked for (live documents), 0 when none is pending. */
    public long tick;

    public VisitorSessions() {}

    /**
     * The last millisecond of the window that {@code event} would join: its own window merged with every session it
     * touches. When the watermark has passed that plus the allowed lateness, the event is too late.
     */
    long windowMaxTimestamp(WebEvent event, long gapMs) {
        long last = event.timestamp;
        for (OpenSession s : sessions) {
            if (s.touches(event.timestamp, gapMs)) {
                last = Math.max(last, s.summary.lastTime);
            }
        }
        return last + gapMs - 1;
    }

    /** Adds {@code event} to the session its window joins, merging the sessions it bridges; returns that session. */
    OpenSession add(WebEvent event, long gapMs) {
        int from = 0;
        while (from < sessions.length && !sessions[from].touches(event.timestamp, gapMs)
                && sessions[from].summary.firstTime < event.timestamp) {
            from++;
        }
        int to = from;
        while (to < sessions.length && sessions[to].touches(event.timestamp, gapMs)) {
            to++;
        }
        OpenSession joined;
        if (from == to) {
            joined = new OpenSession(new SessionSummary(), false);
            sessions = Inserted.into(sessions, from, joined);
        } else {
            joined = sessions[from];
            if (to - from > 1 || event.timestamp < joined.summary.firstTime || event.timestamp > joined.summary.lastTime) {
                // Another window, as Flink's merging makes one: the old one's pending tick is not its own.
                joined.liveDue = false;
            }
            for (int i = from + 1; i < to; i++) {
                joined.summary.merge(sessions[i].summary);
            }
            joined.finalWritten = false; // it ends later or takes a new event: its final document is due again
            sessions = remove(sessions, from + 1, to);
        }
        joined.summary.add(event);
        return joined;
    }

    /** Adds a whole session (a savepoint migration: Flink kept the windows apart), in its place by start. */
    public void restore(SessionSummary summary, boolean finalWritten) {
        int at = 0;
        while (at < sessions.length && sessions[at].summary.firstTime < summary.firstTime) {
            at++;
        }
        sessions = Inserted.into(sessions, at, new OpenSession(summary, finalWritten));
    }

    /** Adds a document written for one of the sessions (a savepoint migration). */
    public void restore(WrittenSession document) {
        written = Arrays.copyOf(written, written.length + 1);
        written[written.length - 1] = document;
    }

    /** Drops {@code session} (past its allowed lateness) and the documents written within its window. */
    void purge(OpenSession session, long gapMs) {
        long start = session.summary.firstTime;
        long end = session.maxTimestamp(gapMs);
        written = Arrays.stream(written).filter(w -> !w.within(start, end)).toArray(WrittenSession[]::new);
        for (int i = 0; i < sessions.length; i++) {
            if (sessions[i] == session) {
                sessions = remove(sessions, i, i + 1);
                return;
            }
        }
    }

    /**
     * Records the document {@code id} written now for {@code session}: its version (now, but above its last one) and
     * the documents it supersedes, the others written within the session's window (a late event extended it
     * backwards or bridged two sessions), which leave this state.
     */
    Write write(OpenSession session, String id, long gapMs, long now) {
        long start = session.summary.firstTime;
        long end = session.maxTimestamp(gapMs);
        long version = now;
        List<WrittenSession> kept = new ArrayList<>(written.length + 1);
        List<WrittenSession> superseded = new ArrayList<>(0);
        for (WrittenSession w : written) {
            if (w.id.equals(id)) {
                version = w.nextVersion(now);
            } else if (w.within(start, end)) {
                superseded.add(w);
            } else {
                kept.add(w);
            }
        }
        kept.add(new WrittenSession(id, start, session.summary.lastTime, version));
        written = kept.toArray(new WrittenSession[0]);
        return new Write(version, superseded);
    }

    /** A document write: its version, and the documents it supersedes. */
    record Write(long version, List<WrittenSession> superseded) {}

    /** The event time of the next step due (a final document or a purge), {@code Long.MAX_VALUE} when none. */
    public long nextDue(long gapMs, long allowedLatenessMs) {
        long due = Long.MAX_VALUE;
        for (OpenSession s : sessions) {
            long end = s.maxTimestamp(gapMs);
            due = Math.min(due, s.finalWritten ? end + allowedLatenessMs : end);
        }
        return due;
    }

    private static OpenSession[] remove(OpenSession[] sessions, int from, int to) {
        OpenSession[] fewer = new OpenSession[sessions.length - (to - from)];
        System.arraycopy(sessions, 0, fewer, 0, from);
        System.arraycopy(sessions, to, fewer, from, sessions.length - to);
        return fewer;
    }
}
