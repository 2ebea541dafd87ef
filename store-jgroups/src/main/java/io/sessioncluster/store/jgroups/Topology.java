package io.sessioncluster.store.jgroups;

import net.openhft.hashing.LongHashFunction;
import org.jgroups.Address;
import org.jgroups.util.UUID;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One node's picture of the cluster: the members of the current view and those of them that are ready (have
 * received their state). Only ready members own sessions; every node computes the same owners from the same
 * picture with rendezvous hashing (XXH3 of the session id, seeded per member): the member with the highest
 * score is the primary, the next {@code backups} ones hold the copies. Adding or removing a member moves only
 * the sessions it scores highest for. Immutable.
 */
final class Topology {

    private final Address self;
    private final List<Address> members;
    private final List<Address> ready;
    private final List<LongHashFunction> readyHashes;
    private final Replication replication;
    private final int backups;
    private final long viewId;

    /** A picture outside any view: a ranking ({@link PartitionGuard}), or a test's. */
    Topology(Address self, Collection<Address> members, Collection<Address> ready, Replication replication, int backups) {
        this(self, members, ready, replication, backups, 0);
    }

    /** {@code viewId}: the number of the view the members are from, which cluster-wide questions compare. */
    Topology(Address self, Collection<Address> members, Collection<Address> ready, Replication replication, int backups,
             long viewId) {
        this.self = self;
        this.viewId = viewId;
        this.members = List.copyOf(members);
        List<Address> r = new ArrayList<>();
        for (Address a : members) {
            if (ready.contains(a)) {
                r.add(a);
            }
        }
        this.ready = List.copyOf(r);
        this.readyHashes = this.ready.stream().map(a -> LongHashFunction.xx3(seed(a))).toList();
        this.replication = replication;
        this.backups = backups;
    }

    /**
     * This picture with {@code member} a ready member, even if this node's view does not show it yet: what a member
     * asking for its state will own (after a merge its request may arrive before the merged view is installed here).
     */
    Topology withReadyMember(Address member) {
        Set<Address> m = new LinkedHashSet<>(members);
        m.add(member);
        Set<Address> r = new LinkedHashSet<>(ready);
        r.add(member);
        return new Topology(self, m, r, replication, backups, viewId);
    }

    /**
     * This picture with this member counted ready: the sessions it owns once its state transfer is done. A joining
     * member answers the cluster-wide questions ({@link PrincipalLookup}, {@link SessionWalk}) for those, with what it
     * received so far, while the others still count the old owner: no session falls between the two as it moves.
     */
    Topology withSelfReady() {
        return isReady(self) ? this : withReadyMember(self);
    }

    /** Whether this member is the primary of {@code id}. */
    boolean isPrimary(String id) {
        return self.equals(primary(id));
    }

    Topology withMembers(Collection<Address> newMembers, Collection<Address> newReady) {
        return new Topology(self, newMembers, newReady, replication, backups, viewId);
    }

    /**
     * The number of the view this picture is from (JGroups numbers a cluster's views in order). Members that answer a
     * cluster-wide question for different views may both skip a session that moves between them ({@link EveryMember}).
     */
    long viewId() {
        return viewId;
    }

    Address self() {
        return self;
    }

    List<Address> members() {
        return members;
    }

    List<Address> ready() {
        return ready;
    }

    boolean isReady(Address a) {
        return ready.contains(a);
    }

    /** The primary owner, or null if no member is ready. */
    Address primary(String id) {
        Address best = null;
        long bestScore = 0;
        for (int i = 0; i < ready.size(); i++) {
            long score = readyHashes.get(i).hashChars(id);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = ready.get(i);
                bestScore = score;
            }
        }
        return best;
    }

    /** Primary first, then the backups: the members that hold this session. */
    List<Address> owners(String id) {
        if (replication == Replication.ALL) {
            List<Address> all = new ArrayList<>(members.size());
            Address primary = primary(id);
            if (primary != null) {
                all.add(primary);
            }
            for (Address m : members) {
                if (!m.equals(primary)) {
                    all.add(m);
                }
            }
            return all;
        }
        return ranked(id, ready, readyHashes, 1 + backups);
    }

    boolean isOwner(Address member, String id) {
        return owners(id).contains(member);
    }

    /**
     * Where the owner sends a change besides itself: every member (mode all), or the backups plus any member that
     * is still receiving its state and will own the session once ready (so it misses nothing meanwhile).
     */
    Set<Address> replicaTargets(String id) {
        Set<Address> targets = new LinkedHashSet<>(owners(id));
        if (replication == Replication.PRIMARY_BACKUP && ready.size() < members.size()) {
            List<LongHashFunction> all = members.stream().map(a -> LongHashFunction.xx3(seed(a))).toList();
            targets.addAll(ranked(id, members, all, 1 + backups));
        }
        targets.remove(self);
        return targets;
    }

    private static List<Address> ranked(String id, List<Address> candidates, List<LongHashFunction> hashes, int count) {
        int n = Math.min(count, candidates.size());
        long[] scores = new long[candidates.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = hashes.get(i).hashChars(id);
        }
        List<Address> result = new ArrayList<>(n);
        boolean[] taken = new boolean[scores.length];
        for (int k = 0; k < n; k++) {
            int best = -1;
            for (int i = 0; i < scores.length; i++) {
                if (!taken[i] && (best < 0 || Long.compareUnsigned(scores[i], scores[best]) > 0)) {
                    best = i;
                }
            }
            taken[best] = true;
            result.add(candidates.get(best));
        }
        return result;
    }

    /** Same on every node: derived from the member's UUID, not from anything local. */
    private static long seed(Address a) {
        if (a instanceof UUID u) {
            return u.getMostSignificantBits() * 31 + u.getLeastSignificantBits();
        }
        return a.hashCode();
    }
}
