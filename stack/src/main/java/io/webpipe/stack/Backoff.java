package io.webpipe.stack;

import java.time.Duration;

/**
 * When the supervisor starts a dead part again: after {@code initial}, doubling with each crash in a row up to
 * {@code max}; a part that ran for {@code resetAfter} before it died starts a new row; after {@code maxRestarts}
 * crashes in a row it is given up. Hand-written because it is two lines of arithmetic: Failsafe's retry policies
 * retry a call that fails, while a part is a process that ran (maybe for days) before it died.
 */
record Backoff(Duration initial, Duration max, Duration resetAfter, int maxRestarts) {

    /** The delay before the restart that follows the {@code crashesInARow}-th crash in a row (1 for the first). */
    Duration delay(int crashesInARow) {
        Duration delay = initial;
        for (int i = 1; i < crashesInARow && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) < 0 ? delay : max;
    }

    /** Whether a crash after running for {@code ranFor} counts as one more in a row, or starts a new row. */
    boolean continuesRow(Duration ranFor) {
        return ranFor.compareTo(resetAfter) < 0;
    }

    boolean givesUpAfter(int crashesInARow) {
        return crashesInARow > maxRestarts;
    }
}
