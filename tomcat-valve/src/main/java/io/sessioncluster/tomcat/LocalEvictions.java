package io.sessioncluster.tomcat;

import io.sessioncluster.core.store.EvictionListener;

/**
 * Applies other nodes' evictions to this node's local copies, so that sticky mode never serves a copy of a
 * session that was invalidated, renamed, expired or taken over elsewhere (a client replaying an old cookie).
 * Runs on a store thread: only map and flag updates, never a store call.
 */
final class LocalEvictions implements EvictionListener {

    private final LocalCopies copies;

    LocalEvictions(LocalCopies copies) {
        this.copies = copies;
    }

    @Override
    public void evicted(String id) {
        copies.evictedElsewhere(id);
    }

    @Override
    public void missedEvictions() {
        copies.markAllStale();
    }
}
