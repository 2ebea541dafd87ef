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
        ALREADY_EXISTS
    }

    public static WriteResult written(long newVersion) {
        return new WriteResult(Status.WRITTEN, newVersion);
    }

    public static WriteResult missing() {
        return new WriteResult(Status.MISSING, 0);
    }

    public static WriteResult alreadyExists() {
        return new WriteResult(Status.ALREADY_EXISTS, 0);
    }
}
