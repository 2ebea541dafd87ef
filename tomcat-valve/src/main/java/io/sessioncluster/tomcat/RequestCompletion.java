package io.sessioncluster.tomcat;

import io.sessioncluster.core.Fence;
import io.sessioncluster.core.Touch;

import java.util.Map;
import java.util.Set;

/**
 * The end of a request: for each session it used, the change set goes to the writer, or, if the request only read,
 * a touch is batched. Under {@code locking=session} the write of the locked session carries the lock's fence, and
 * the last request of this node's hold releases the lock in that write, or, if it changed nothing, together with its
 * touch. The valve knows when a request ends; this class knows what to write.
 */
final class RequestCompletion {

    private final ChangeSetBuilder builder;
    private final SessionWriter writer;
    private final TouchBatcher touches;
    /** Null without {@code locking=session}. */
    private final NodeLocks locks;
    private final StoreClock clock;

    private enum Outcome { WRITTEN, UNCHANGED, FAILED }

    RequestCompletion(ChangeSetBuilder builder, SessionWriter writer, TouchBatcher touches, NodeLocks locks,
                      StoreClock clock) {
        this.clock = clock;
        this.builder = builder;
        this.writer = writer;
        this.touches = touches;
        this.locks = locks;
    }

    /** @return false if a write failed (sync mode): the changes were kept for the next request */
    boolean complete(RequestScope scope, ClusteredSessionManager manager) {
        boolean ok = true;
        long now = System.currentTimeMillis();
        LockHold lock = locks == null ? null : scope.takeLock();
        boolean last = lock != null && locks.leave(lock);
        boolean released = false;
        boolean touchWithRelease = false;
        for (Map.Entry<ClusteredSession, Set<String>> used : scope.takeSessions()) {
            ClusteredSession session = used.getKey();
            if (!session.isUsable() || session.getManager() != manager) {
                continue; // invalidated (deleted) or dropped
            }
            boolean locked = lock != null && scope.isLocked(session, lock);
            Outcome outcome = write(session, used.getValue(), now, scope, locked ? lock.fence(last) : Fence.NONE,
                    locked && last);
            ok &= outcome != Outcome.FAILED;
            released |= locked && last && outcome == Outcome.WRITTEN;
            touchWithRelease |= locked && last && outcome == Outcome.UNCHANGED;
        }
        if (last && !released) {
            String id = scope.lockedId(lock);
            locks.release(lock, id, touchWithRelease ? new Touch(id, clock.toStore(now)) : null);
        }
        return ok;
    }

    /**
     * A request that ends without completing (the store failed before the application ran): its share of the lock
     * ends, and the last one releases it.
     */
    void abandon(RequestScope scope) {
        LockHold lock = locks == null ? null : scope.takeLock();
        if (lock != null && locks.leave(lock)) {
            locks.release(lock, scope.lockedId(lock), null);
        }
    }

    /**
     * Writes what a session holds now, in the middle of its request, with the reads checked at its end as usual.
     *
     * @return false if the write failed: the changes were kept, for the end of the request or the next one
     */
    boolean writeNow(ClusteredSession session, RequestScope scope) {
        LockHold lock = scope.lock();
        Fence fence = lock != null && scope.isLocked(session, lock) ? lock.fence(false) : Fence.NONE;
        return !session.isUsable()
                || write(session, Set.of(), System.currentTimeMillis(), scope, fence, false) != Outcome.FAILED;
    }

    private Outcome write(ClusteredSession session, Set<String> reads, long now, RequestScope scope, Fence fence,
                          boolean touchWithRelease) {
        session.writeLock.lock();
        try {
            PendingWrite write = builder.build(session, reads, now);
            if (write == null) {
                if (!touchWithRelease) {
                    touches.touch(session.baseId(), now);
                }
                return Outcome.UNCHANGED;
            }
            if (writer.submit(fence.isFenced() ? write.fenced(fence) : write)) {
                return Outcome.WRITTEN;
            }
            if (write.changes().created()) {
                scope.createFailed(session);
            }
            return Outcome.FAILED;
        } finally {
            session.writeLock.unlock();
        }
    }
}
