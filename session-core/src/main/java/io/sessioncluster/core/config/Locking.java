package io.sessioncluster.core.config;

/** Whether the requests of one session run on one node at a time (the {@code locking} setting). */
public enum Locking {
    /** {@link #SESSION} with {@code sticky=false}, {@link #NONE} with {@code sticky=true}. */
    AUTO,
    /** No cluster-wide lock: requests of one session on different nodes run at once; the later write wins. */
    NONE,
    /** A node holds the session's cluster-wide lock while its requests of that session run. */
    SESSION
}
