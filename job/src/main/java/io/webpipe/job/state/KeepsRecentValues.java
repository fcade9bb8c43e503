package io.webpipe.job.state;

/** A keyed function whose state sits behind {@link RecentValues}, run by a {@link RecentValuesOperator}. */
public interface KeepsRecentValues {
    /** The function's {@link RecentValues}, once it is open. */
    RecentValues<?> recentValues();
}
