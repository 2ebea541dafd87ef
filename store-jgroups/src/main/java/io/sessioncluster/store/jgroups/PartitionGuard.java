package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.store.StoreException;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.util.UUID;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Which side of a partition may expire a session, decided by each side alone, without talking to the other.
 *
 * <h2>The rule</h2>
 * A member of the last full view that left without a goodbye may have crashed or may be on the other side of a
 * partition: nothing in JGroups tells the two apart. While such a member is <em>absent</em>, an expired session is
 * claimed only on the side that holds the session's primary in the last full view (the member that scores highest
 * for its id among that view's members, ranked as {@link Topology} ranks them). Both sides rank the same members, so
 * at most one side holds that primary. On the other side the owner answers the claim of an expired session
 * {@code Gone} and deletes nothing: no node there serves it or fires its listeners, and the merge brings the outcome of
 * the side that decides (its tombstone, or, if the session was used there, the newer record).
 * <ul>
 *   <li>The last full view keeps absent members. Members that join meanwhile enter it only once nobody is absent:
 *       a side that ranked them would rank sessions differently from the other side. A joining member learns the
 *       last full view and the absent members from the members it joins ({@code MEMBERS}).</li>
 *   <li>A member that closes says goodbye first ({@code LEAVING}) and is then simply gone, so shutdowns and rolling
 *       restarts never hold expiry back.</li>
 *   <li>Absent members come back with the merge. A member absent for longer than {@code tombstoneSeconds} is taken
 *       for crashed: it leaves the last full view, and the sessions it ranked first expire on this side again. A
 *       partition longer than that may expire a session on both sides, as it may resurrect a session deleted on one
 *       side (tombstones live as long).</li>
 * </ul>
 * Removing a member from a ranking only moves the sessions it ranked first (rendezvous hashing). A member that said
 * goodbye is on neither side any more, so a goodbye heard on one side only never lets both sides claim a session: at
 * worst neither claims the sessions it ranked first until the merge. The absence limit is different: the members a
 * side drops when it passes are alive on the other side, which still claims the sessions they ranked first; from
 * then on both may. That is why it is the limit a partition must stay under.
 *
 * <p>Reads ({@link #mayExpire}) take an immutable picture without a lock; changes are synchronized.
 */
final class PartitionGuard {

    private static final System.Logger LOG = Loggers.of(PartitionGuard.class);
    /** How long a closing member waits for the others to hear its goodbye; then it leaves anyway. */
    private static final long GOODBYE_MILLIS = 500;

    /** {@code fullView} null: nobody absent, every session may expire here. */
    private record Picture(Set<Address> members, Topology fullView, long firstDeadline) {
    }

    private final long absentMillis;
    private final LongSupplier clock;
    private final String contextName;

    // Guarded by this: the current view, the last full view, absent members (deadline on clock), goodbyes heard.
    private Set<Address> members = Set.of();
    private final Set<Address> fullView = new LinkedHashSet<>();
    private final Map<Address, Long> absentUntil = new LinkedHashMap<>();
    private final Set<Address> leaving = new HashSet<>();
    private volatile Picture picture = new Picture(Set.of(), null, Long.MAX_VALUE);

    /**
     * @param absentMillis how long a member that left without a goodbye counts as absent ({@code tombstoneSeconds})
     * @param clock        monotonic milliseconds
     */
    PartitionGuard(long absentMillis, LongSupplier clock, String contextName) {
        this.absentMillis = absentMillis;
        this.clock = clock;
        this.contextName = contextName;
    }

    /** Whether this side may claim the session if it expired. Cheap when nobody is absent. */
    boolean mayExpire(String id) {
        Picture p = current();
        if (p.fullView == null) {
            return true;
        }
        Address primary = p.fullView.primary(id);
        return primary == null || p.members.contains(primary);
    }

    /** Whether some member of the last full view is absent: a partition, or a crash, is suspected. */
    boolean partitioned() {
        return current().fullView != null;
    }

    private Picture current() {
        Picture p = picture;
        if (p.fullView != null && clock.getAsLong() >= p.firstDeadline) {
            dropOverdue();
            p = picture;
        }
        return p;
    }

    synchronized void viewAccepted(View view) {
        Set<Address> now = new LinkedHashSet<>(view.getMembers());
        long t = clock.getAsLong();
        for (Address gone : members) {
            if (now.contains(gone)) {
                continue;
            }
            if (leaving.remove(gone)) {
                fullView.remove(gone);
            } else if (fullView.contains(gone) && !absentUntil.containsKey(gone)) {
                absentUntil.put(gone, t + absentMillis);
                LOG.log(System.Logger.Level.INFO, "{0}: {1} left the view without a goodbye (a crash, or a partition):"
                        + " until it is back or {2} s passed, the sessions it owned expire only on its side",
                        contextName, gone, absentMillis / 1000);
            }
        }
        absentUntil.keySet().removeAll(now); // back (the merge)
        leaving.retainAll(now);
        members = now;
        publish();
    }

    /** A member said goodbye: when it leaves the view it is gone, not absent. */
    synchronized void leaving(Address member) {
        if (members.contains(member)) {
            leaving.add(member);
        } else if (absentUntil.remove(member) != null) {
            fullView.remove(member); // its goodbye came after the view
            publish();
        }
    }

    /** The answer to {@code MEMBERS}: while someone is absent, the last full view and the absent members. */
    synchronized byte[] describe() {
        dropOverdueLocked();
        long t = clock.getAsLong();
        List<UUID> full = new ArrayList<>();
        Map<UUID, Long> absent = new LinkedHashMap<>();
        if (!absentUntil.isEmpty()) {
            for (Address m : fullView) {
                if (m instanceof UUID u) { // JGroups' addresses; another kind cannot travel
                    full.add(u);
                    Long until = absentUntil.get(m);
                    if (until != null) {
                        absent.put(u, Math.max(1, until - t));
                    }
                }
            }
        }
        Wire.Out out = new Wire.Out(Kind.R_MEMBERS).i32(full.size());
        full.forEach(out::member);
        out.i32(absent.size());
        absent.forEach((m, remaining) -> out.member(m).i64(remaining));
        return out.bytes();
    }

    /**
     * A joining member takes over what the members it joins know ({@link #describe}): the last full view, without
     * itself and others that joined meanwhile, and the absent members with the longest time any of them gives.
     * A null answer (a member of a version without {@code MEMBERS}) tells nothing.
     *
     * @throws Wire.Malformed if an answer is malformed; nothing is taken over then
     */
    synchronized void learn(Collection<byte[]> answers, int maxMessageBytes) {
        Set<Address> full = new LinkedHashSet<>();
        Map<Address, Long> absent = new LinkedHashMap<>();
        long t = clock.getAsLong();
        for (byte[] answer : answers) {
            if (answer == null) {
                continue;
            }
            Wire.In in = new Wire.In(answer, maxMessageBytes);
            if (in.kind != Kind.R_MEMBERS) {
                throw new Wire.Malformed("unexpected answer " + in.kind + " to MEMBERS");
            }
            Set<Address> theirs = new LinkedHashSet<>();
            int n = in.count(16);
            for (int i = 0; i < n; i++) {
                theirs.add(in.member());
            }
            int k = in.count(24);
            for (int i = 0; i < k; i++) {
                UUID m = in.member();
                long remaining = in.positive("absence");
                if (!theirs.contains(m)) {
                    throw new Wire.Malformed("absent member " + m + " not in the last full view");
                }
                absent.merge(m, t + Math.min(remaining, absentMillis), Math::max);
            }
            in.end();
            full.addAll(theirs);
        }
        absent.keySet().removeAll(members);
        if (absent.isEmpty()) {
            return; // no partition: the current view is the full view
        }
        full.removeIf(m -> !members.contains(m) && !absent.containsKey(m)); // left since, with a goodbye or not
        full.addAll(absentUntil.keySet());
        fullView.clear();
        fullView.addAll(full);
        absent.forEach((m, until) -> absentUntil.merge(m, until, Math::max));
        LOG.log(System.Logger.Level.INFO, "{0}: joined one side of a partition: {1} absent, expired sessions they owned"
                + " are not claimed on this side", contextName, absent.keySet());
        publish();
    }

    /** A joining member, before it is ready (so before it owns), learns what {@code others} know of a partition. */
    void learnFrom(Messaging messaging, List<Address> others, long timeoutMillis, int maxMessageBytes) {
        try {
            learn(messaging.callAll(others, new Wire.Out(Kind.MEMBERS).bytes(), timeoutMillis, "partition state")
                    .values(), maxMessageBytes);
        } catch (StoreException | Wire.Malformed e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: the members did not tell whether a partition is suspected (while"
                    + " one lasts, this node may expire sessions the other side expires too): {1}", contextName,
                    e.getMessage());
        }
    }

    /** A closing member tells {@code others} it leaves, so they do not take it for absent. Best effort, bounded. */
    void sayGoodbye(Messaging messaging, List<Address> others, long timeoutMillis) {
        if (others.isEmpty()) {
            return;
        }
        try {
            messaging.callAll(others, new Wire.Out(Kind.LEAVING).bytes(), Math.min(timeoutMillis, GOODBYE_MILLIS),
                    "goodbye");
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: goodbye not heard by every member (they take this member for"
                    + " absent, for tombstoneSeconds at most): {1}", contextName, e.getMessage());
        }
    }

    private synchronized void dropOverdue() {
        dropOverdueLocked();
    }

    private void dropOverdueLocked() {
        long t = clock.getAsLong();
        List<Address> overdue = new ArrayList<>();
        absentUntil.forEach((m, until) -> {
            if (until <= t) {
                overdue.add(m);
            }
        });
        if (overdue.isEmpty()) {
            return;
        }
        overdue.forEach(absentUntil::remove);
        overdue.forEach(fullView::remove);
        LOG.log(System.Logger.Level.INFO, "{0}: {1} absent for {2} s, taken for crashed: the sessions they owned expire"
                + " on this side again", contextName, overdue, absentMillis / 1000);
        publish();
    }

    private void publish() {
        if (absentUntil.isEmpty()) {
            fullView.clear();
            fullView.addAll(members);
            picture = new Picture(Set.copyOf(members), null, Long.MAX_VALUE);
            return;
        }
        // A ranking only: every member of the last full view counts, ready or not, on both sides alike.
        Topology ranking = new Topology(null, fullView, fullView, Replication.ALL, 0);
        picture = new Picture(Set.copyOf(members), ranking, Collections.min(absentUntil.values()));
    }
}
