package io.webpipe.job.session;

/**
 * A session document already written for a visitor whose session is still open ({@link VisitorSessions}): its id,
 * the session's event-time interval, so that a later write whose window covers it knows the document was
 * superseded, and its version. Part of {@link VisitorSessions}' state ({@link VisitorSessionsSerializer}); the
 * window-based job before kept it as a Flink POJO, the value of a map by id ({@code id} null there), which a savepoint
 * migration still reads.
 */
public class WrittenSession {
    public String id;
    public long start;
    public long end;
    /**
     * The external version (epoch ms, the document's {@code updatedAt}) of the last write of the
     * document. Added in the second version of the job: 0 when restored from a savepoint without it.
     */
    public long version;

    public WrittenSession() {}

    public WrittenSession(String id, long start, long end, long version) {
        this.id = id;
        this.start = start;
        this.end = end;
        this.version = version;
    }

    /** The version of the next write of this document (upsert or delete): now, but always above the last one. */
    public long nextVersion(long now) {
        return Math.max(now, version + 1);
    }

    /** True when this session lies entirely in [from, to]. */
    public boolean within(long from, long to) {
        return start >= from && end <= to;
    }
}
