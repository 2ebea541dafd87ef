package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The asking side of the session locks ({@link SessionStore#lock}, {@link SessionStore#renewLock},
 * {@link SessionStore#unlock}): one request to the session's owner through the {@link OwnerRouter} (answered in
 * this JVM, without a network round trip, when this node is the owner), decided there by {@link OwnerLocks}.
 */
final class LockRequests {

    private final OwnerRouter router;
    private final Consumer<Collection<Touch>> touches;

    LockRequests(OwnerRouter router, Consumer<Collection<Touch>> touches) {
        this.router = router;
        this.touches = touches;
    }

    LockAttempt lock(String id, long leaseMillis) {
        SessionStore.requirePositiveLease(leaseMillis);
        Wire.In in = router.call(id, new Wire.Out(Kind.LOCK).id(id).i64(leaseMillis).bytes(), Kind.R_LOCK);
        try {
            LockAttempt attempt = in.attempt();
            in.end();
            return attempt;
        } catch (Wire.Malformed e) {
            throw new StoreException("malformed answer to a lock of session " + SessionIds.redact(id) + ": "
                    + e.getMessage());
        }
    }

    boolean renew(String id, long token, long leaseMillis) {
        SessionStore.requirePositiveLease(leaseMillis);
        if (token <= 0) {
            return false; // never granted
        }
        Wire.In in = router.call(id, new Wire.Out(Kind.RENEW).id(id).i64(token).i64(leaseMillis).bytes(), Kind.R_BOOL);
        try {
            return in.bool();
        } catch (Wire.Malformed e) {
            throw new StoreException("malformed answer to a renewal of session " + SessionIds.redact(id));
        }
    }

    void unlock(String id, long token, Touch touch) {
        boolean same = touch != null && touch.id().equals(id) && touch.lastAccessedTime() > 0;
        if (token > 0) {
            long accessed = same ? touch.lastAccessedTime() : 0;
            router.call(id, new Wire.Out(Kind.UNLOCK).id(id).i64(token).i64(accessed).bytes(), Kind.R_ACK);
        }
        if (touch != null && (token <= 0 || !same)) {
            touches.accept(List.of(touch)); // not for this session's owner, or nothing to release
        }
    }
}
