package io.sessioncluster.tomcat;

import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The cluster-wide locks this node holds ({@code locking=session}): a node holds a session's lock while at least
 * one of its requests of that session runs, so requests of one session run on one node at a time, and requests on
 * this node still run side by side, as in Tomcat. The first request takes the lock from the store (the same round
 * trip reads the version, see {@link SessionStore#lock}); requests that arrive meanwhile join its {@link LockHold};
 * the last to leave releases it, in the write of its changes or, if it changed nothing, with its touch.
 *
 * <p>A lock held elsewhere is asked for again after a short pause (a quarter of a millisecond) that doubles up to
 * {@value #MAX_PAUSE_MILLIS} ms
 * and never passes the holder's remaining lease, until {@code lockWaitMillis} ran out ({@link LockTimeoutException}:
 * a 503). Leases of holds are renewed in the background while their requests run, so a long request keeps its lock
 * and a dead node's lock ends after one lease. A release without a write is one store call with the request's touch,
 * made before the response is released.
 */
final class NodeLocks {

    private static final Log log = Logs.of(NodeLocks.class);
    private static final StringManager sm = StringManager.getManager(NodeLocks.class);
    static final long MAX_PAUSE_MILLIS = 32;
    /** Most holds end within a round trip or two (a request on another node finishing): ask again soon. */
    static final long FIRST_PAUSE_NANOS = 250_000;

    private final SessionStore store;
    private final long leaseMillis;
    private final long waitMillis;
    private final StatisticsCounters counters;
    private final ConcurrentMap<String, LockHold> holds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService background;
    private final RateLimitedLog warnings = new RateLimitedLog(10, TimeUnit.SECONDS);

    NodeLocks(SessionStore store, long leaseMillis, long waitMillis, StatisticsCounters counters, String contextName) {
        this.store = store;
        this.leaseMillis = leaseMillis;
        this.waitMillis = waitMillis;
        this.counters = counters;
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "session-cluster-locks[" + contextName + "]");
            t.setDaemon(true);
            t.setContextClassLoader(NodeLocks.class.getClassLoader());
            return t;
        });
        long period = Math.max(50, leaseMillis / 3);
        background.scheduleWithFixedDelay(this::renewDue, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Holds the session's lock for one request, waiting for another node to release it.
     *
     * @param baseId the session id without its route
     * @return the hold, which the request must {@link #leave}; null if the store does not hold the session
     * @throws LockTimeoutException after {@code lockWaitMillis}
     * @throws io.sessioncluster.core.store.StoreUnavailableException if the store is down
     */
    LockHold enter(String baseId) {
        while (true) {
            LockHold current = holds.get(baseId);
            if (current == null) {
                LockHold fresh = new LockHold(baseId);
                current = holds.putIfAbsent(baseId, fresh);
                if (current == null) {
                    return take(fresh);
                }
            }
            if (current.isPastLease(TimeUnit.MILLISECONDS.toNanos(leaseMillis))) {
                holds.remove(baseId, current); // its requests finish under it (fenced); this one takes the lock anew
                continue;
            }
            if (current.join()) {
                return current.awaitOutcome() ? current : null;
            }
            // The last request of that hold is releasing it and about to remove it.
            holds.remove(baseId, current);
            Thread.onSpinWait();
        }
    }

    private LockHold take(LockHold hold) {
        try {
            LockAttempt attempt = acquire(hold.baseId);
            if (attempt instanceof LockAttempt.Granted granted) {
                hold.granted(granted.token(), granted.version());
                return hold;
            }
            holds.remove(hold.baseId, hold);
            hold.missing();
            return null;
        } catch (StoreUnavailableException e) {
            holds.remove(hold.baseId, hold);
            hold.failed(e);
            throw e;
        } catch (StoreException e) {
            // A record the store cannot parse is treated as missing, as a load treats it
            // (docs/behaviour.md, "Bad input").
            log.warn(sm.getString("manager.corruptRecord", SessionIds.redact(hold.baseId), e.getMessage()));
            holds.remove(hold.baseId, hold);
            hold.missing();
            return null;
        } catch (RuntimeException e) {
            holds.remove(hold.baseId, hold);
            hold.failed(e);
            throw e;
        }
    }

    private LockAttempt acquire(String baseId) {
        LockAttempt attempt = store.lock(baseId, leaseMillis);
        if (!(attempt instanceof LockAttempt.Held)) {
            return attempt;
        }
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        long pause = FIRST_PAUSE_NANOS;
        while (attempt instanceof LockAttempt.Held held) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                counters.lockTimedOut(System.nanoTime() - started);
                long suppressed = warnings.permit("timeout");
                if (suppressed >= 0) {
                    log.warn(sm.getString("locks.timeout", SessionIds.redact(baseId), Long.valueOf(waitMillis),
                            Long.valueOf(suppressed)));
                }
                throw new LockTimeoutException(waitMillis);
            }
            long sleep = Math.min(Math.min(pause, TimeUnit.MILLISECONDS.toNanos(held.remainingMillis())), left);
            LockSupport.parkNanos(Math.max(sleep, FIRST_PAUSE_NANOS));
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(MAX_PAUSE_MILLIS));
            attempt = store.lock(baseId, leaseMillis);
        }
        counters.lockWaited(System.nanoTime() - started);
        return attempt;
    }

    /**
     * One request of the hold ends.
     *
     * @return true if it was the last: the caller releases the lock, with its write ({@link LockHold#fence}) or
     *         {@link #release}
     */
    boolean leave(LockHold hold) {
        if (!hold.leave()) {
            return false;
        }
        holds.remove(hold.baseId, hold);
        return true;
    }

    /**
     * Releases the lock of a hold whose last request wrote nothing, recording its access in the same store call. On
     * the request's thread, before its response is released: the same client's next request, sent at once to another
     * node, then finds the lock free instead of waiting for it. A release that fails leaves the lock to its lease.
     *
     * @param sessionId the session's base id now (a request may have changed it: the lock moved with it)
     * @param touch     the access to record, or null
     */
    void release(LockHold hold, String sessionId, Touch touch) {
        long token = hold.token();
        if (token == 0) {
            return;
        }
        try {
            store.unlock(sessionId, token, touch);
        } catch (StoreException e) {
            long suppressed = warnings.permit("release");
            if (suppressed >= 0) {
                log.warn(sm.getString("locks.releaseFailed", SessionIds.redact(sessionId), e.getMessage(),
                        Long.valueOf(leaseMillis), Long.valueOf(suppressed)));
            }
        }
    }

    /** Renews the leases of holds whose requests still run, once a third of a lease has passed. */
    private void renewDue() {
        long due = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(leaseMillis / 3);
        for (LockHold hold : holds.values()) {
            if (!hold.isHeld() || hold.isLost() || hold.leasedAt() - due > 0) {
                continue;
            }
            try {
                if (store.renewLock(hold.baseId, hold.token(), leaseMillis)) {
                    hold.renewed();
                } else {
                    hold.lost();
                    counters.lockLost();
                    log.warn(sm.getString("locks.lost", SessionIds.redact(hold.baseId)));
                }
            } catch (RuntimeException e) {
                // The next round tries again; if the store stays down, the lease runs out and writes are fenced.
                log.debug("renewing a lock failed", e);
            }
        }
    }

    /** Holds currently open, for tests and statistics. */
    int held() {
        return holds.size();
    }

    /** Stops renewing. */
    void close() {
        background.shutdown();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
