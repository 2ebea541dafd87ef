package io.sessioncluster.tomcat;

import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;

import org.apache.catalina.Session;
import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Expires each session exactly once in the whole cluster, so that {@code sessionDestroyed} and
 * {@code valueUnbound} fire on one node only. The store decides, atomically:
 * <ul>
 *   <li>a local copy idle past its timeout is not expired on local evidence (another node may have used it);
 *       pending touches are flushed first, then {@code claimIfExpired} answers: Claimed (this node won: expire it
 *       here with listeners), Alive (used elsewhere: move its access time forward) or Gone (claimed or
 *       invalidated elsewhere: drop the copy without listeners);</li>
 *   <li>sessions that no node holds any more are claimed in batches with {@code claimExpired}, rebuilt from their
 *       record and expired here with listeners, without writing anything back. They are claimed only some
 *       seconds past their expiry, so that a node holding one gets to claim it itself, and touches a
 *       node has not flushed yet cannot be overtaken.</li>
 * </ul>
 */
final class ExpiryProcessor {

    enum Outcome { KEPT, EXPIRED, GONE }

    private static final Log log = Logs.of(ExpiryProcessor.class);
    private static final StringManager sm = StringManager.getManager(ExpiryProcessor.class);
    static final long ORPHAN_GRACE_MILLIS = 2_000;
    private static final int ORPHAN_BATCH = 100;

    private final ClusteredSessionManager manager;
    private final LocalCopies copies;
    private final SessionStore store;
    private final TouchBatcher touches;
    private final SessionWriter writer;
    private final SessionLoader loader;
    private final StoreClock clock;
    private final RateLimitedLog failures = new RateLimitedLog(60, TimeUnit.SECONDS);

    ExpiryProcessor(ClusteredSessionManager manager, LocalCopies copies, SessionStore store, TouchBatcher touches, SessionWriter writer,
                    SessionLoader loader, StoreClock clock) {
        this.clock = clock;
        this.manager = manager;
        this.copies = copies;
        this.store = store;
        this.touches = touches;
        this.writer = writer;
        this.loader = loader;
    }

    /**
     * One background round: local copies that look expired, then sessions nobody holds. Never throws. Skipped while
     * the store's clock is not measured yet: this node's own clock may be minutes off, and would claim sessions that
     * are alive by the store's.
     */
    void run(long now) {
        if (!clock.isMeasured()) {
            log.debug("expiry round skipped: the store's clock is not measured yet");
            return;
        }
        List<ClusteredSession> idle = new ArrayList<>();
        for (Session session : manager.localSessions()) {
            if (session instanceof ClusteredSession cs && cs.isUsable() && cs.isIdleExpired(now)) {
                idle.add(cs);
            }
        }
        if (!idle.isEmpty()) {
            touches.flush();
        }
        for (ClusteredSession session : idle) {
            try {
                check(session, now);
            } catch (StoreException e) {
                log.warn(sm.getString("manager.expireFailed", SessionIds.redact(session.getIdInternal()), e.getMessage()));
                return; // the store is failing: the next round tries again
            } catch (RuntimeException e) {
                // A listener or a store bug: the other sessions still get their turn.
                log.warn(sm.getString("manager.expireFailed", SessionIds.redact(session.getIdInternal()), e.toString()), e);
            }
        }
        try {
            for (SessionRecord record : store.claimExpired(clock.toStore(now) - ORPHAN_GRACE_MILLIS, ORPHAN_BATCH)) {
                try {
                    expireClaimed(record);
                } catch (RuntimeException e) {
                    // Claimed, so deleted already: the others of the batch must still get their listeners.
                    log.warn(sm.getString("manager.expireFailed", SessionIds.redact(record.id()), e.toString()), e);
                }
            }
        } catch (RuntimeException e) {
            long suppressed = failures.permit("orphans");
            if (suppressed >= 0) {
                log.warn(sm.getString("manager.expireOrphansFailed", e.getMessage(), Long.valueOf(suppressed)));
            }
        }
    }

    /**
     * Asks the store about a local copy that looks expired here.
     *
     * @throws StoreException if the store fails; nothing changed locally
     */
    Outcome check(ClusteredSession session, long now) {
        String id = session.baseId();
        if (session.hasUnsentChanges() || writer.hasPending(id)) {
            return Outcome.KEPT; // recently used here; its write carries the new access time
        }
        if (!clock.isMeasured()) {
            return Outcome.KEPT; // no expiry decided on this node's own clock: the store's TTL stays the backstop
        }
        ExpiryClaim claim = store.claimIfExpired(id, clock.toStore(now));
        if (claim instanceof ExpiryClaim.Claimed) {
            session.expire(true);
            return Outcome.EXPIRED;
        }
        if (claim instanceof ExpiryClaim.Alive alive) {
            long expiresAt = clock.toNode(alive.expiresAt());
            long interval = session.getMaxInactiveInterval() * 1000L;
            session.accessedElsewhere(expiresAt == Long.MAX_VALUE || interval <= 0 ? now : Math.min(now, expiresAt - interval));
            return Outcome.KEPT;
        }
        copies.drop(session);
        return Outcome.GONE;
    }

    /**
     * True if a record loaded from the store has expired by the store's clock; never while that clock is not measured
     * (this node's own may be minutes off).
     */
    boolean isExpired(SessionRecord record, long now) {
        return clock.isMeasured() && record.isExpiredAt(clock.toStore(now));
    }

    /** The store says this session expired; this node claimed it: fire its listeners here. */
    void expireClaimed(SessionRecord record) {
        ClusteredSession local = copies.get(record.id());
        if (local != null && local.isUsable()) {
            local.expire(true);
            return;
        }
        ClusteredSession rebuilt = loader.build(record);
        rebuilt.assignDetachedId(SessionIds.withRoute(record.id(), manager.getJvmRoute()));
        rebuilt.expire(true);
    }

    /**
     * A loaded record that has expired but was not claimed yet: claim it now, so it expires once. If this node wins,
     * the copy to expire is detached (no request finds it any more) and added to {@code toExpire}: the caller fires
     * its listeners with {@link #fire} once it holds no lock, since they are the application's code.
     */
    ExpiryClaim claimNow(String id, long now, List<ClusteredSession> toExpire) {
        ExpiryClaim claim = store.claimIfExpired(id, clock.toStore(now));
        if (claim instanceof ExpiryClaim.Claimed claimed) {
            toExpire.add(detachClaimed(claimed.record()));
        }
        return claim;
    }

    /** Fires the listeners of sessions {@link #claimNow} detached. */
    static void fire(List<ClusteredSession> toExpire) {
        for (ClusteredSession session : toExpire) {
            session.expire(true);
        }
    }

    private ClusteredSession detachClaimed(SessionRecord record) {
        ClusteredSession local = copies.get(record.id());
        if (local != null && local.isUsable()) {
            // Counted as expired now (ManagerBase statistics); its own expire later finds it unregistered.
            manager.remove(local, true);
            return local;
        }
        ClusteredSession rebuilt = loader.build(record);
        rebuilt.assignDetachedId(SessionIds.withRoute(record.id(), manager.getJvmRoute()));
        return rebuilt;
    }
}
