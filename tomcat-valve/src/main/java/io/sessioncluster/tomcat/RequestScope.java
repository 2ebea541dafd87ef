package io.sessioncluster.tomcat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one request did to the sessions of this node: which sessions it accessed, which attribute names it read
 * from each (for the in-place mutation check), whether a store operation failed. The valve opens a scope before
 * the request and hands it to the manager at the end. Reads are tracked per request rather than per session so
 * that two concurrent requests of one session do not take each other's read sets.
 *
 * <p>Synchronized because an asynchronous request may end on another thread than the one it started on.
 */
final class RequestScope {

    /** The first session the request used, and the names read from it: most requests use one session. */
    private ClusteredSession first;
    private Set<String> firstReads = Set.of();
    /** Further sessions, rare (a request that changes its session's id, or several contexts' ids); null until then. */
    private Map<ClusteredSession, Set<String>> more;
    private List<ClusteredSession> failedCreates = List.of();
    private String verifiedId;
    private ClusteredSession verifiedSession;
    private boolean storeFailed;
    private boolean asyncWriteFailed;
    private LockHold lock;

    synchronized void accessed(ClusteredSession session) {
        if (first == null) {
            first = session;
        } else if (first != session) {
            moreReads(session);
        }
    }

    synchronized void read(ClusteredSession session, String name) {
        if (first == null) {
            first = session;
        }
        if (first == session) {
            if (firstReads.isEmpty()) {
                firstReads = new HashSet<>(4);
            }
            firstReads.add(name);
        } else {
            moreReads(session).add(name);
        }
    }

    private Set<String> moreReads(ClusteredSession session) {
        if (more == null) {
            more = new IdentityHashMap<>(2);
        }
        return more.computeIfAbsent(session, s -> new HashSet<>());
    }

    /** The sessions this request accessed, each with the attribute names it read; clears the scope. */
    synchronized List<Map.Entry<ClusteredSession, Set<String>>> takeSessions() {
        if (first == null) {
            return List.of();
        }
        List<Map.Entry<ClusteredSession, Set<String>>> taken;
        if (more == null) {
            taken = List.of(Map.entry(first, firstReads));
        } else {
            taken = new ArrayList<>(1 + more.size());
            taken.add(Map.entry(first, firstReads));
            taken.addAll(more.entrySet());
        }
        first = null;
        firstReads = Set.of();
        more = null;
        return taken;
    }

    /**
     * The valve already brought the session of this id up to date: findSession must not ask the store again, and
     * answers with {@code session} (null: there is none).
     */
    synchronized void verified(String id, ClusteredSession session) {
        verifiedId = id;
        verifiedSession = session;
    }

    synchronized boolean isVerified(String id) {
        return id != null && id.equals(verifiedId);
    }

    /**
     * The session the valve resolved for {@code id}, or null. Held here rather than looked up again by id: a
     * concurrent request of the same session on this node may meanwhile have reloaded it, or taken it over under
     * another route, so the manager's map no longer holds it under this id, and Tomcat would then create a fresh
     * session for a request whose session exists (found by ConcurrencyIT).
     */
    synchronized ClusteredSession verifiedSession(String id) {
        return isVerified(id) ? verifiedSession : null;
    }

    /** The request holds the cluster-wide lock of its requested session ({@code locking=session}). */
    synchronized void locked(LockHold hold) {
        lock = hold;
    }

    /**
     * Whether {@code session} is the one the lock is for: the session the valve resolved under it (the verified one,
     * followed through id changes), or one of the lock's id (the copy may have been reloaded meanwhile). The lock
     * moves with a session whose id changes, as the store moves it.
     */
    synchronized boolean isLocked(ClusteredSession session, LockHold hold) {
        return session == verifiedSession || hold.baseId.equals(session.baseId());
    }

    /** The base id {@code hold} is under now: the locked session's current one. */
    synchronized String lockedId(LockHold hold) {
        return verifiedSession != null ? verifiedSession.baseId() : hold.baseId;
    }

    /** The lock hold, or null; it stays with the scope. */
    synchronized LockHold lock() {
        return lock;
    }

    /** The lock hold, or null; the caller ends it. */
    synchronized LockHold takeLock() {
        LockHold taken = lock;
        lock = null;
        return taken;
    }

    /** A store operation of this request failed: the valve answers 503 if it still can. */
    synchronized void storeFailed() {
        storeFailed = true;
    }

    synchronized boolean hasStoreFailed() {
        return storeFailed;
    }

    /** {@code AsyncContext.complete()} could not write: the request was answered 503 if it still could. */
    synchronized void asyncWriteFailed() {
        asyncWriteFailed = true;
    }

    synchronized boolean hasAsyncWriteFailed() {
        return asyncWriteFailed;
    }

    /** A session this request created could not be written. */
    synchronized void createFailed(ClusteredSession session) {
        if (failedCreates.isEmpty()) {
            failedCreates = new ArrayList<>(1);
        }
        failedCreates.add(session);
    }

    synchronized List<ClusteredSession> takeFailedCreates() {
        List<ClusteredSession> taken = failedCreates;
        failedCreates = List.of();
        return taken;
    }
}
