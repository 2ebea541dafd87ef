package io.sessioncluster.core;

/**
 * The answer of {@link io.sessioncluster.core.store.SessionStore#lock}: one attempt to take a session's
 * cluster-wide lock, which also reads the session's version, so that a request that locks pays no separate
 * version check.
 */
public sealed interface LockAttempt {

    /**
     * This node holds the lock until {@code lease} runs out or it unlocks.
     *
     * @param token   the fencing token of this grant: larger than every earlier grant of the session; a write that
     *                carries it is refused once a later grant exists
     * @param version the session's stored version at the moment of the grant
     */
    record Granted(long token, long version) implements LockAttempt {
    }

    /** Another holder has the lock; its lease runs out in {@code remainingMillis} at the latest. */
    record Held(long remainingMillis) implements LockAttempt {
    }

    /** The store does not hold the session: there is nothing to lock. */
    record Missing() implements LockAttempt {
    }

    Missing MISSING = new Missing();
}
