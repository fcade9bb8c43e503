package io.webpipe.job.session;

/**
 * A session document already written for a visitor whose window is still open (global keyed
 * state of {@link SessionWindowFunction}): its event-time interval, so a later firing whose window
 * covers it knows the document was superseded. A Flink POJO, so new fields can be added later
 * with state schema evolution.
 */
public class WrittenSession {
    public long start;
    public long end;

    public WrittenSession() {}

    public WrittenSession(long start, long end) {
        this.start = start;
        this.end = end;
    }

    /** True when this session lies entirely in [from, to]. */
    public boolean within(long from, long to) {
        return start >= from && end <= to;
    }
}
