package io.sessioncluster.core;

import java.util.Objects;

/**
 * The outcome of {@link io.sessioncluster.core.store.SessionStore#write} and of one entry of
 * {@link io.sessioncluster.core.store.SessionStore#writeAll}.
 *
 * @param status     what happened
 * @param newVersion the session's version after the write; {@code 0} unless {@link Status#WRITTEN}
 * @param problem    why the entry failed, naming the redacted id; null unless {@link Status#FAILED}
 */
public record WriteResult(Status status, long newVersion, String problem) {

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
        FENCED,
        /**
         * Only in {@code writeAll}: this entry failed on its own (a corrupt record, a value the backend refused), as
         * {@code write} would have thrown a {@link io.sessioncluster.core.store.StoreException}; nothing of it was
         * written, and the other entries are unaffected. Appended last: JGroups sends statuses by ordinal.
         */
        FAILED
    }

    public WriteResult(Status status, long newVersion) {
        this(status, newVersion, null);
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

    /** An entry of {@code writeAll} that failed on its own; {@code problem} as a store exception would word it. */
    public static WriteResult failed(String problem) {
        return new WriteResult(Status.FAILED, 0, Objects.requireNonNull(problem, "problem"));
    }
}
