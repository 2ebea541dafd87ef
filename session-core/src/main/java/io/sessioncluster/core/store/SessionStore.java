package io.sessioncluster.core.store;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where sessions live between requests and between nodes. One implementation per backend (Redis, JDBC,
 * JGroups), found by name through {@link SessionStoreProvider} and {@link java.util.ServiceLoader}.
 *
 * <h2>Ids are untrusted input</h2>
 * Every {@code id} parameter may come from a client's cookie. The Tomcat layer only passes ids that
 * {@link io.sessioncluster.core.SessionIds#isWellFormed} accepts, without their route suffix, but a
 * store must still treat them as data: never interpolate them into a query, a script or a key pattern
 * without escaping, and never log them in full (use {@link io.sessioncluster.core.SessionIds#redact}).
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>Every method may be called from many threads at once, and several nodes may use one backend at
 *       once; an implementation is thread-safe and holds no per-request state.</li>
 *   <li>{@link #write} applies a change set atomically and merges it per attribute: attributes it does not
 *       name are left as they are. Two concurrent writes to different attributes of one session both land;
 *       two concurrent writes to the same attribute end with one of the two values (the later write wins).
 *       Every successful write bumps the session's version by exactly one.</li>
 *   <li>{@link #write} never recreates a session that is gone: an update ({@code created == false}) for a
 *       session the store does not hold returns {@link WriteResult.Status#MISSING}.</li>
 *   <li>{@link #claimIfExpired} and {@link #claimExpired} decide and delete in one atomic step, so that of
 *       all the nodes that ask, exactly one receives each expired session.</li>
 *   <li>{@link #changeId} is atomic with respect to readers: once it returns, the old id is gone on every
 *       node that asks the store.</li>
 * </ul>
 *
 * <h2>Locks</h2>
 * A session has one cluster-wide lock, a lease decided by the store's clock (or the JGroups owner's), so that the
 * requests of one session run on one node at a time (the Servlet specification's rule for distributable
 * applications). {@link #lock} grants it with a fencing token larger than every earlier token of that session and
 * reads the version in the same step; while the lease runs, every other {@link #lock} answers
 * {@link LockAttempt.Held}. {@link #write} with a {@link Fence} is refused as {@link WriteResult.Status#FENCED} once a
 * later token was granted, so a holder whose lease ran out (a long pause) cannot overwrite a newer state; it may
 * release the lock in the same step. {@link #changeId} moves the lock with the session; {@link #delete} and an
 * expiry claim end it. Nodes that do not lock (the {@code locking} setting) are not held back by a lock.
 *
 * <h2>Failures</h2>
 * A backend that cannot be reached or does not answer in time raises {@link StoreUnavailableException};
 * a method never blocks longer than the store's configured timeout. Data that cannot be parsed (a
 * corrupt record) is reported as {@link StoreException} naming the redacted id, never as a partial record.
 */
public interface SessionStore extends AutoCloseable {

    /** The session with this id, or empty if the store does not hold it. */
    Optional<SessionRecord> load(String id);

    /** The stored version of this session, or empty if the store does not hold it. Cheaper than {@link #load}. */
    OptionalLong version(String id);

    /** Applies one request's changes atomically, without a lock; see the class comment for the merge and version rules. */
    default WriteResult write(ChangeSet changes) {
        return write(changes, Fence.NONE);
    }

    /**
     * Applies one request's changes atomically, as {@link #write(ChangeSet)}, unless {@code fence} names a token of
     * this session that is no longer the latest grant ({@link WriteResult#fenced()}, nothing written); with
     * {@link Fence#release()}, the lock is released in the same step. A create is never fenced.
     */
    WriteResult write(ChangeSet changes, Fence fence);

    /**
     * Applies many change sets in as few round trips as the backend allows: the write-behind queue's batches.
     * <ul>
     *   <li>Each change set is applied atomically on its own, exactly as {@link #write(ChangeSet)} would (merge,
     *       version and {@code MISSING}/{@code ALREADY_EXISTS} rules), without a fence: the batch serves
     *       {@code writeMode=async}, which never locks. Change sets of one session are applied in list order.</li>
     *   <li>The results are in the order of {@code changes}, one each. An entry that fails on its own (missing,
     *       already existing, a corrupt record) does not fail the others: a corrupt one is
     *       {@link WriteResult.Status#FAILED} where {@link #write} would throw {@link StoreException}.</li>
     *   <li>A backend that is down or does not answer in time raises {@link StoreUnavailableException} for the
     *       whole call; some entries may have been applied (as a {@link #write} whose answer is lost may have been),
     *       so a caller that retries must expect {@code ALREADY_EXISTS} for a create.</li>
     * </ul>
     * The default writes one entry after the other; Redis pipelines the batch and JDBC commits it once.
     */
    default List<WriteResult> writeAll(List<ChangeSet> changes) {
        List<WriteResult> results = new ArrayList<>(changes.size());
        for (ChangeSet change : changes) {
            try {
                results.add(write(change));
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (StoreException e) {
                results.add(WriteResult.failed(e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return results;
    }

    /**
     * One attempt to take the session's lock for {@code leaseMillis}, which also reads its version; never waits for
     * a holder. A lease that ran out counts as released.
     */
    LockAttempt lock(String id, long leaseMillis);

    /**
     * Extends the lease of a held lock to {@code leaseMillis} from now. False if {@code token} is no longer the
     * session's latest grant, or the session is gone: the lock was lost.
     */
    boolean renewLock(String id, long token, long leaseMillis);

    /**
     * Releases the lock granted with {@code token} (nothing if a later grant exists), and records {@code touch}
     * (may be null) as {@link #touch} would, in the same round trip.
     */
    void unlock(String id, long token, Touch touch);

    /**
     * Records access times for sessions that requests read without changing. Best effort: a touch for a
     * session the store no longer holds is ignored, and must never create a record.
     */
    void touch(Collection<Touch> touches);

    /**
     * Moves a session to a new id ({@code HttpServletRequest.changeSessionId}). Returns false, and changes
     * nothing, if {@code oldId} is not held or {@code newId} already is.
     */
    boolean changeId(String oldId, String newId);

    /** Deletes a session ({@code invalidate}). Returns true if the store held it. */
    boolean delete(String id);

    /**
     * Asks whether this session has expired by the store's own access time (other nodes may have used it
     * more recently than this one), and if so claims and deletes it. See {@link ExpiryClaim}.
     */
    ExpiryClaim claimIfExpired(String id, long nowMillis);

    /**
     * Claims and deletes up to {@code limit} sessions that expired at or before {@code nowMillis}, for
     * sessions no live node holds in memory. Each expired session is returned to exactly one caller.
     */
    List<SessionRecord> claimExpired(long nowMillis, int limit);

    /**
     * The ids of the live sessions indexed under this principal name ({@link ChangeSet#principal}), from an index the
     * store keeps as it writes, never by reading every session: to list a user's sessions or end them everywhere.
     * <ul>
     *   <li>A session is indexed from the write that names it until a write clears it, or the session is deleted,
     *       moved ({@link #changeId}: the new id takes its place) or expired; an expired session that no node has
     *       claimed yet is never answered.</li>
     *   <li>The index never outlives its sessions: when the last session of a name ends, nothing of the name stays in
     *       the backend (Redis: the name's set expires with its last session).</li>
     *   <li>{@code name} is untrusted input (an operator's or an application's): any string; one that
     *       {@link io.sessioncluster.core.PrincipalChange#isIndexable} refuses has no sessions.</li>
     * </ul>
     */
    Set<String> sessionsOf(String principal);

    /**
     * One page of a walk over every session the store holds, for operators (Tomcat's manager application, JMX):
     * start with a null {@code cursor}, then pass each page's {@link SessionPage#next} until it is null. Sessions
     * created or ended during the walk may or may not be seen; every session that lives through the whole walk is seen
     * at least once. Expired sessions not yet claimed may be listed. A page holds at most {@code limit} sessions
     * (1 to 1,000). A cursor this store did not hand out raises {@link IllegalArgumentException}.
     */
    SessionPage page(String cursor, int limit);

    /** For implementations: the page size rule of {@link #page}. */
    static void requirePageLimit(int limit) {
        if (limit < 1 || limit > 1_000) {
            throw new IllegalArgumentException("a page holds 1 to 1000 sessions, not " + limit);
        }
    }

    /**
     * Tells the other nodes to drop their local copy of this session, because this node has just taken it over
     * (a failover moved it here). {@link #delete}, {@link #changeId} (for the old id) and a won expiry claim
     * notify on their own. Best effort, never throws for an unreachable backend; a store without a
     * notification channel does nothing.
     */
    default void announceEviction(String id) {
    }

    /**
     * Subscribes this node to evictions announced by other nodes (never its own). Called at most once, before
     * the first request. A store without a notification channel never calls the listener; nodes then rely on
     * {@code sticky=false} version checks.
     */
    default void subscribeEvictions(EvictionListener listener) {
    }

    /**
     * The store's own clock, epoch ms: the one clock that decides expiry and leases for the whole cluster. Every time
     * this interface takes or returns (access times, {@code nowMillis}, {@link ExpiryClaim.Alive#expiresAt}) is on
     * it; a node converts its own readings with an offset it measures through this method, so that a node whose
     * clock is minutes off neither expires sessions early nor keeps them alive late. The Redis server's {@code TIME},
     * the database's clock, the JGroups view coordinator's; a store without a clock of its own answers the caller's.
     */
    default long storeTimeMillis() {
        return System.currentTimeMillis();
    }

    /** For implementations: a lease of zero or less is a caller's mistake. */
    static void requirePositiveLease(long leaseMillis) {
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("a lock lease must be positive, not " + leaseMillis + " ms");
        }
    }

    /** Releases connections and threads. Idempotent. */
    @Override
    void close();
}
