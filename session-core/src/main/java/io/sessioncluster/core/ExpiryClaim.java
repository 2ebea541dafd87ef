package io.sessioncluster.core;

import java.util.Objects;

/**
 * The answer of {@link io.sessioncluster.core.store.SessionStore#claimIfExpired}: the store decides
 * atomically whether a session has expired, so that exactly one node in the cluster wins the claim and
 * fires the expiry listeners.
 */
public sealed interface ExpiryClaim {

    /** The session had expired; this caller won it, the store deleted it, and here is its last state. */
    record Claimed(SessionRecord record) implements ExpiryClaim {
        public Claimed {
            Objects.requireNonNull(record, "record");
        }
    }

    /** The session is still alive in the store (another node used it); it expires at {@code expiresAt}. */
    record Alive(long expiresAt) implements ExpiryClaim {
    }

    /** The store no longer holds the session: another node claimed it, or it was invalidated. */
    record Gone() implements ExpiryClaim {
    }

    Gone GONE = new Gone();
}
