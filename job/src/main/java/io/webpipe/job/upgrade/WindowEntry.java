package io.webpipe.job.upgrade;

/** An element of an old window on its way into a migrated one. */
interface WindowEntry {
    /** Its window had fired its final result before the savepoint (and waited out the allowed lateness). */
    boolean finalFired();
}
