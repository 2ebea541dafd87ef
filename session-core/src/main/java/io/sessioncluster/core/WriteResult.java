package io.sessioncluster.core;

/**
 * The outcome of {@link io.sessioncluster.core.store.SessionStore#write}.
 *
 * @param status     what happened
 * @param newVersion the session's version after the write; {@code 0} unless {@link Status#WRITTEN}
 */
public record WriteResult(Status status, long newVersion) {

    public enum Status {
        /** The change set was applied. */
        WRITTEN,
        /** An update for a session the store does not hold: it was invalidated or expired elsewhere. Nothing was written. */
        MISSING,
        /** A create for an id the store already holds. Nothing was written. */
        ALREADY_EXISTS,
        /**
         * The write carried the fencing token of a lock that was granted again since (its lease ran out and another
         * node took it): the writer no longer owns the session, and nothing was written.
         */
        FENCED
    }

    public static WriteResult written(long newVersion) {
        return new WriteResult(Status.WRITTEN, newVersion);
    }

    public static WriteResult missing() {
        return new WriteResult(Status.MISSING, 0);
    }

    public static WriteResult fenced() {
        return new WriteResult(Status.FENCED, 0);
    }

    public static WriteResult alreadyExists() {
        return new WriteResult(Status.ALREADY_EXISTS, 0);
    }
}
