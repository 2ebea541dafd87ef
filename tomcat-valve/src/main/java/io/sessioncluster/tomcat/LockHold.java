package io.sessioncluster.tomcat;

import io.sessioncluster.core.Fence;

/**
 * This node's hold on one session's cluster-wide lock, shared by the requests of that session running on this node
 * at once: the first to arrive takes the lock from the store, the others join, the last to leave releases it.
 * Guarded by its own monitor; {@link NodeLocks} is the only class that changes it.
 */
final class LockHold {

    final String baseId;
    /** Set once, by the request that took the lock; null until then and if it could not (see {@link #outcome}). */
    private Granted granted;
    private RuntimeException failure;
    private boolean missing;
    private int users = 1;
    private boolean closed;
    /** When the lease was last granted or renewed, {@link System#nanoTime()}. */
    private long leasedAt;
    private boolean lost;
    /** Held while one request of the hold resolves the session; the others then use the same copy. */
    private final Object resolving = new Object();
    /** The copy the hold's requests use; guarded by {@link #resolving}. */
    private ClusteredSession session;

    private record Granted(long token, long version) {
    }

    LockHold(String baseId) {
        this.baseId = baseId;
    }

    synchronized void granted(long token, long version) {
        granted = new Granted(token, version);
        leasedAt = System.nanoTime();
        notifyAll();
    }

    /** The store does not hold the session: nothing to lock, the request goes on without. */
    synchronized void missing() {
        missing = true;
        closed = true;
        notifyAll();
    }

    synchronized void failed(RuntimeException e) {
        failure = e;
        closed = true;
        notifyAll();
    }

    /**
     * Joins a hold another request of this node has or is taking.
     *
     * @return false if the hold is closing (its last user left): the caller takes the lock anew
     */
    synchronized boolean join() {
        if (closed) {
            return false;
        }
        users++;
        return true;
    }

    /**
     * Waits until the request that takes the lock has its answer.
     *
     * @return true if the lock is held, false if the store has no such session
     */
    synchronized boolean awaitOutcome() {
        boolean interrupted = false;
        while (granted == null && failure == null && !missing) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            users--;
            throw failure;
        }
        if (missing) {
            users--;
            return false;
        }
        return true;
    }

    /** @return true if this was the last user: the hold is closed and the caller releases the lock */
    synchronized boolean leave() {
        users--;
        if (users == 0) {
            closed = true;
            return true;
        }
        return false;
    }

    /**
     * The session the requests of this hold use: the copy an earlier request of the hold resolved, if still usable,
     * else what {@code resolve} finds (once, for all of them). While a node holds the lock nobody else writes, so the
     * copy stays current; resolving again could put a second copy beside the one in use (Tomcat re-keys a copy whose
     * route changes, and for that moment the map does not hold it), and the two would overwrite each other's changes.
     */
    ClusteredSession session(java.util.function.Supplier<ClusteredSession> resolve) {
        synchronized (resolving) {
            if (session == null || !session.isUsable()) {
                session = resolve.get();
            }
            return session;
        }
    }

    synchronized long token() {
        return granted == null ? 0 : granted.token();
    }

    /** The stored version when the lock was granted; no other node can have written since, while it is held. */
    synchronized long grantedVersion() {
        return granted == null ? 0 : granted.version();
    }

    /** The fence for a write of this session under this hold. */
    synchronized Fence fence(boolean release) {
        return granted == null ? Fence.NONE : new Fence(granted.token(), release);
    }

    /**
     * Whether the lease has certainly run out in the store: more than a lease since it was granted or renewed, by
     * this node's monotonic clock (the store's lease began before the answer came). A request must not join such a
     * hold: another node may hold the lock by now (this node was frozen, say), and its writes would be fenced.
     */
    synchronized boolean isPastLease(long leaseNanos) {
        return granted != null && System.nanoTime() - leasedAt > leaseNanos;
    }

    synchronized boolean isHeld() {
        return granted != null && !closed;
    }

    synchronized long leasedAt() {
        return leasedAt;
    }

    synchronized void renewed() {
        leasedAt = System.nanoTime();
    }

    /** The lease ran out and another node took the lock: this node's writes under it will be refused. */
    synchronized void lost() {
        lost = true;
    }

    synchronized boolean isLost() {
        return lost;
    }
}
