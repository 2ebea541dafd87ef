package io.sessioncluster.tomcat;

import io.sessioncluster.core.store.EvictionListener;

/**
 * Applies other nodes' evictions to this node's local copies, so that sticky mode never serves a copy of a
 * session that was invalidated, renamed, expired or taken over elsewhere (a client replaying an old cookie).
 * Runs on a store thread: only map and flag updates, never a store call.
 */
final class LocalEvictions implements EvictionListener {

    private final ClusteredSessionManager manager;

    LocalEvictions(ClusteredSessionManager manager) {
        this.manager = manager;
    }

    @Override
    public void evicted(String id) {
        manager.evictedElsewhere(id);
    }

    @Override
    public void missedEvictions() {
        manager.markAllStale();
    }
}
