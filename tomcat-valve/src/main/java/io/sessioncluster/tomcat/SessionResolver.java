package io.sessioncluster.tomcat;

import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Makes the local copy of a requested session current, or finds there is none. The rules:
 * <ul>
 *   <li>{@code sticky=true}: a local copy serves without asking the store; the store is read on a miss, for a copy
 *       marked stale (another node wrote in between), and when the requested id carries a route other than the
 *       local copy's (a failover or takeover: the store has the latest state);</li>
 *   <li>{@code sticky=false}: the stored version is compared first, and a copy whose version differs is reloaded,
 *       unless it holds changes not yet in the store (they would be lost); a session the store no longer holds is
 *       dropped locally, without listeners;</li>
 *   <li>a local copy idle past its timeout is not served before the store confirms it is alive
 *       ({@link ExpiryProcessor#check});</li>
 *   <li>a record the store cannot parse (on load, version read or expiry check) is treated as missing and
 *       logged.</li>
 * </ul>
 * {@link StoreUnavailableException} propagates: the valve answers 503 before the application runs.
 */
final class SessionResolver {

    private static final Log log = Logs.of(SessionResolver.class);
    private static final StringManager sm = StringManager.getManager(SessionResolver.class);
    private static final int LOCK_STRIPES = 64;

    private final LocalCopies copies;
    private final SessionStore store;
    private final SessionLoader loader;
    private final AuthReplication auth;
    private final ExpiryProcessor expiry;
    private final SessionWriter writer;
    private final boolean sticky;
    /** Loads of one session on this node run one at a time; different sessions rarely share a stripe. */
    private final Object[] loadLocks = new Object[LOCK_STRIPES];

    SessionResolver(LocalCopies copies, SessionStore store, SessionLoader loader, AuthReplication auth,
                    ExpiryProcessor expiry, SessionWriter writer, boolean sticky) {
        this.copies = copies;
        this.store = store;
        this.loader = loader;
        this.auth = auth;
        this.expiry = expiry;
        this.writer = writer;
        this.sticky = sticky;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            loadLocks[i] = new Object();
        }
    }

    /** {@link #resolve(String, long)}: the stored version is not known yet, ask the store if needed. */
    static final long ASK = -1;
    /** {@link #resolve(String, long)}: the store was just found not to hold the session. */
    static final long MISSING = 0;

    /** The current session for a well-formed requested id, or null. */
    ClusteredSession resolve(String id) {
        return resolve(id, ASK);
    }

    /**
     * The current session for a well-formed requested id, or null.
     *
     * @param known the stored version read with the session's lock ({@link NodeLocks}), which no other node can
     *              have changed since; {@link #MISSING}; or {@link #ASK}
     */
    ClusteredSession resolve(String id, long known) {
        if (known != ASK) {
            return resolveLocked(id, known);
        }
        String base = SessionIds.baseId(id);
        long now = System.currentTimeMillis();
        ClusteredSession local = usable(copies.get(base));
        if (local != null && id.equals(local.getIdInternal()) && !local.isStale()) {
            if (!keptPastIdleTimeout(local, base, now)) {
                return null;
            }
            if (sticky || hasUnwritten(local)) {
                return local;
            }
            OptionalLong stored = readingRecord(base, () -> store.version(base), OptionalLong.empty());
            if (stored.isEmpty()) {
                copies.drop(local);
                return null;
            }
            if (stored.getAsLong() == local.storedVersion()) {
                return local;
            }
        } else if (local != null && hasUnwritten(local)) {
            return local; // reloading would lose changes the store has not seen; it is reloaded once they are written
        }
        return reload(id, base, now);
    }

    /**
     * Under the session's lock ({@code locking=session}) the version read with the lock decides alone: no other node
     * can have written since, so a copy at that version or later (a request of this node that joined the lock later
     * finds the version its predecessors wrote) is current whatever its route or stale mark says. That keeps one copy
     * per session while requests of this node share the lock; a second copy, reloaded beside the one in use, would
     * write an older list over the first one's append.
     */
    private ClusteredSession resolveLocked(String id, long known) {
        String base = SessionIds.baseId(id);
        long now = System.currentTimeMillis();
        ClusteredSession local = usable(copies.get(base));
        if (known == MISSING) {
            if (local != null && hasUnwritten(local)) {
                return local; // a new session whose first write failed: its request was answered 503, it may retry
            }
            if (local != null) {
                copies.drop(local);
            }
            return null;
        }
        if (local != null && local.storedVersion() >= known) {
            return keptPastIdleTimeout(local, base, now) ? local : null;
        }
        if (local != null && hasUnwritten(local)) {
            // Changes a failed write gave back (their request was answered 503, so nobody was told they landed),
            // made on a state another node has written over since: applied now they would undo that node's
            // acknowledged changes. The store's state wins (found by the fault suite: a PostgreSQL restart).
            log.info(sm.getString("manager.unacknowledgedDropped", SessionIds.redact(base)));
        }
        return reload(id, base, now);
    }

    /** A copy idle past its timeout is served only once the store confirmed it alive ({@link ExpiryProcessor#check}). */
    private boolean keptPastIdleTimeout(ClusteredSession local, String base, long now) {
        if (!local.isIdleExpired(now)) {
            return true;
        }
        ExpiryProcessor.Outcome outcome = readingRecord(base, () -> expiry.check(local, now), null);
        if (outcome == null) {
            copies.drop(local); // the record cannot be parsed: treated as missing, like a load
        }
        return outcome == ExpiryProcessor.Outcome.KEPT;
    }

    private ClusteredSession reload(String id, String base, long now) {
        List<ClusteredSession> claimed = new ArrayList<>(1);
        try {
            return reloadLocked(id, base, now, claimed);
        } finally {
            // sessionDestroyed and valueUnbound are application code: they run after the stripe lock is released,
            // so a slow listener cannot stall loads of the other sessions sharing the stripe. The decision is still
            // atomic (the store's claim), and the claimed copy is no longer registered for a request to find.
            ExpiryProcessor.fire(claimed);
        }
    }

    private ClusteredSession reloadLocked(String id, String base, long now, List<ClusteredSession> claimed) {
        long started = System.nanoTime();
        synchronized (loadLocks[Math.floorMod(base.hashCode(), LOCK_STRIPES)]) {
            ClusteredSession current = usable(copies.get(base));
            if (current != null && current.loadedAfter(started) && Objects.equals(id, current.getIdInternal())) {
                return current; // a concurrent request of this session loaded it while we waited
            }
            Optional<SessionRecord> record = load(base);
            if (record.isEmpty()) {
                if (current != null) {
                    copies.drop(current);
                }
                return null;
            }
            SessionRecord loaded = record.get();
            if (expiry.isExpired(loaded, now)) {
                // Expired but not claimed yet: claim it now so its listeners fire once (with the local objects,
                // if this node holds them), rather than serving it.
                ExpiryClaim claim = readingRecord(base, () -> expiry.claimNow(base, now, claimed), null);
                if (claim instanceof ExpiryClaim.Alive) {
                    Optional<SessionRecord> refreshed = load(base); // touched meanwhile elsewhere
                    loaded = refreshed.orElse(null);
                } else {
                    loaded = null;
                }
                if (loaded == null) {
                    ClusteredSession stillLocal = usable(copies.get(base));
                    if (stillLocal != null) {
                        copies.drop(stillLocal);
                    }
                    return null;
                }
            }
            ClusteredSession fresh = loader.build(loaded);
            if (current != null) {
                auth.keepLocalParts(current, fresh);
                copies.unregister(current); // a request still using the old copy keeps it; its changes still land
            }
            copies.register(fresh, id);
            fresh.activate();
            return fresh;
        }
    }

    private Optional<SessionRecord> load(String base) {
        return readingRecord(base, () -> store.load(base), Optional.empty());
    }

    /**
     * Runs a store call that parses the session's record. Any failure other than unavailability (a corrupt record:
     * a field that is not a number, a key of the wrong type) answers {@code missing}, logged: bad input is never
     * a 500 (docs/behaviour.md, "Bad input"). {@link StoreUnavailableException} propagates: the valve answers 503.
     */
    private static <T> T readingRecord(String base, Supplier<T> call, T missing) {
        try {
            return call.get();
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (StoreException e) {
            log.warn(sm.getString("manager.corruptRecord", SessionIds.redact(base), e.getMessage()));
            return missing;
        }
    }

    private boolean hasUnwritten(ClusteredSession session) {
        return session.hasUnsentChanges() || writer.hasPending(session.baseId());
    }

    private static ClusteredSession usable(ClusteredSession session) {
        return session != null && session.isUsable() ? session : null;
    }
}
