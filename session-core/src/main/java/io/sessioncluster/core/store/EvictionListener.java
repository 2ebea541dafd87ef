package io.sessioncluster.core.store;

/**
 * Receives what other nodes did to sessions this node may hold in memory, so that a stale local copy is never
 * served: a session invalidated, renamed or expired elsewhere, or taken over by another node after a failover.
 * Called on a store thread; implementations must be quick and must not call back into the store.
 */
public interface EvictionListener {

    /** Another node ended, renamed or took over this session (id without route): drop any local copy. */
    void evicted(String id);

    /**
     * The notification channel was interrupted, so some evictions may have been missed: treat every local copy
     * as possibly stale (reload from the store before serving it again).
     */
    void missedEvictions();
}
