package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.LockAttempt;
import org.jgroups.Address;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The cluster-wide lock of each session this member holds, as owner or as copy: the latest fencing token, when
 * the lease of that grant ends, and the member that holds it. The session's owner decides ({@link #tryGrant},
 * {@link #renew}, {@link #release}, {@link #isLatest}, called under its per-session lock in {@link OwnerSide});
 * every copy keeps the owner's latest state ({@link #fromOwner}, sent with every grant, renewal, release and write),
 * so that a copy that becomes the owner (failover, rebalancing) goes on from it.
 *
 * <h2>Why tokens keep growing across owners</h2>
 * The owner answers a grant only after every copy acknowledged the new token, so whichever member owns the session
 * next knows it and grants a larger one; a holder of the old owner's grant is then fenced.
 *
 * <h2>Leases: replicated, and on the safe side</h2>
 * The lease is replicated too (as the time it still runs, {@link LockState}), so a new owner honours a lease the old
 * owner granted and answers {@link LockAttempt.Held} until it ran out by its own clock: the safe side, since the
 * holder may still be running a request. The receiver's lease end includes the transfer time, so it is never
 * earlier than the owner's. Where a member cannot know better (a merge conflict, a release it missed, a holder it
 * still thinks alive), it keeps the lock held until the lease runs out: a delay of at most one lease, never two
 * holders at once. A holder that leaves the view (crash, shutdown) releases its locks on every member at once
 * ({@link #releaseDeparted}), without waiting for the lease.
 *
 * <p>Lease ends are read on this member's monotonic clock, so a step of the wall clock never shortens a lease;
 * they never leave this member (see {@link LockState}). An entry lives as long as the session on this member:
 * {@link LocalSessions} forgets it with the session (delete, expiry claim, rename, drop).
 */
final class LockTable {

    /** This member's lease clock: monotonic milliseconds. */
    static final LongSupplier MONOTONIC_MILLIS = () -> System.nanoTime() / 1_000_000L;

    private static final long RELEASED = Long.MIN_VALUE;

    /** {@code leaseEnd} by {@link #clock}, {@link #RELEASED} once released; {@code holder} null if none or unknown. */
    private record Entry(long token, long leaseEnd, Address holder) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    LockTable(LongSupplier clock) {
        this.clock = clock;
    }

    // ---- the owner's decisions (under the owner's per-session lock) ----

    /**
     * Grants the lock unless its lease runs: the next token, a lease from now, {@code holder}. A lease that ran out
     * counts as released; the holder asking again is {@link LockAttempt.Held} too.
     */
    LockAttempt tryGrant(String id, long leaseMillis, Address holder, long version) {
        long now = clock.getAsLong();
        LockAttempt[] answer = new LockAttempt[1];
        entries.compute(id, (k, current) -> {
            if (current != null && current.leaseEnd > now) {
                answer[0] = new LockAttempt.Held(until(current.leaseEnd, now));
                return current;
            }
            long token = current == null ? 1 : Math.addExact(current.token, 1);
            answer[0] = new LockAttempt.Granted(token, version);
            return new Entry(token, plus(now, leaseMillis), holder);
        });
        return answer[0];
    }

    /**
     * Extends the lease to {@code leaseMillis} from now, held by {@code holder} (the member that asks), if
     * {@code token} is the latest grant, run out or not.
     */
    boolean renew(String id, long token, long leaseMillis, Address holder) {
        long now = clock.getAsLong();
        boolean[] renewed = {false};
        entries.computeIfPresent(id, (k, current) -> {
            if (current.token != token) {
                return current;
            }
            renewed[0] = true;
            return new Entry(token, plus(now, leaseMillis), holder);
        });
        return renewed[0];
    }

    /** Releases the lock if {@code token} is the latest grant; the token stays, the next grant is larger. */
    boolean release(String id, long token) {
        boolean[] released = {false};
        entries.computeIfPresent(id, (k, e) -> {
            if (e.token != token || e.leaseEnd == RELEASED) {
                return e;
            }
            released[0] = true;
            return new Entry(e.token, RELEASED, null);
        });
        return released[0];
    }

    /** Whether {@code token} is the session's latest grant: a write fenced with it may go ahead. */
    boolean isLatest(String id, long token) {
        Entry e = entries.get(id);
        return e != null && e.token == token;
    }

    /** The session's lock as it travels to another member. */
    LockState state(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            return LockState.NONE;
        }
        long remaining = e.leaseEnd == RELEASED ? 0 : Math.max(0, until(e.leaseEnd, clock.getAsLong()));
        return new LockState(e.token, remaining, remaining == 0 ? null : e.holder);
    }

    // ---- replication ----

    /**
     * The owner's state of the session (a grant, renewal, release, write, or the whole record): taken as it is,
     * unless this member already knows a later token (a late message).
     */
    void fromOwner(String id, LockState s) {
        if (s.token() == 0) {
            return;
        }
        Entry incoming = entry(s);
        entries.merge(id, incoming, (current, in) -> in.token >= current.token ? in : current);
    }

    /**
     * A state from a state transfer, a merge or a rebalancing push, which may be older than what is here, or come
     * from the other side of a partition. The later token wins. Equal tokens with two different holders mean that
     * both sides of a partition granted the same token: neither may go on, so the token moves past both (each is
     * fenced) and the lock stays held, by no known member, until the later of the two leases ran out.
     */
    void merge(String id, LockState s) {
        if (s.token() == 0) {
            return;
        }
        entries.merge(id, entry(s), (current, in) -> {
            if (in.token != current.token) {
                return in.token > current.token ? in : current;
            }
            long end = Math.max(current.leaseEnd, in.leaseEnd);
            if (current.holder != null && in.holder != null && !current.holder.equals(in.holder)) {
                return new Entry(Math.addExact(current.token, 1), end, null);
            }
            Address holder = end == RELEASED ? null : current.holder != null ? current.holder : in.holder;
            return new Entry(current.token, end, holder);
        });
    }

    /**
     * A new view: the locks of holders that are no longer members (crashed, left, cut off) are released at once.
     *
     * @return how many were released
     */
    int releaseDeparted(Collection<Address> members) {
        Set<Address> alive = Set.copyOf(members);
        AtomicInteger released = new AtomicInteger();
        entries.replaceAll((id, e) -> {
            if (e.holder == null || alive.contains(e.holder)) {
                return e;
            }
            released.incrementAndGet();
            return new Entry(e.token, RELEASED, null);
        });
        return released.get();
    }

    /** The session is gone from this member: its lock with it. */
    void forget(String id) {
        entries.remove(id);
    }

    int size() {
        return entries.size();
    }

    private Entry entry(LockState s) {
        return new Entry(s.token(), s.held() ? plus(clock.getAsLong(), s.remainingMillis()) : RELEASED, s.holder());
    }

    private static long plus(long now, long millis) {
        long end = now + millis;
        return ((now ^ end) & (millis ^ end)) < 0 ? Long.MAX_VALUE : end; // a lease of "forever" saturates
    }

    /** Milliseconds from {@code now} to {@code end}, saturating (the clock may be negative, the end "forever"). */
    private static long until(long end, long now) {
        long d = end - now;
        return ((end ^ now) & (end ^ d)) < 0 ? (end > now ? Long.MAX_VALUE : Long.MIN_VALUE) : d;
    }
}
