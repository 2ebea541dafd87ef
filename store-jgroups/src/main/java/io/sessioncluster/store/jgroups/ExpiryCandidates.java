package io.sessioncluster.store.jgroups;

import org.jgroups.Address;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The expiry sweep's candidates: the expired sessions this node holds and owns, and, in primary-backup (where this
 * node holds only some), those the other members own, asked with {@code CANDIDATES}. Each candidate is then claimed
 * through its owner like any mutation, so a candidate that was touched meanwhile stays. During a suspected partition,
 * sessions that the other side expires ({@link PartitionGuard}) are no candidates here.
 */
final class ExpiryCandidates {

    /** The most ids one {@code CANDIDATES} answer carries. */
    static final int MAX_PER_ANSWER = 10_000;

    private final LocalSessions local;
    private final Messaging messaging;
    private final Replication replication;
    private final Supplier<Topology> topology;
    private final long timeoutMillis;
    private final int maxMessageBytes;
    private final Predicate<String> mayExpire;

    /** {@code mayExpire}: sessions this side of a partition may claim ({@link PartitionGuard}); others are skipped. */
    ExpiryCandidates(LocalSessions local, Messaging messaging, Replication replication, Supplier<Topology> topology,
                     long timeoutMillis, int maxMessageBytes, Predicate<String> mayExpire) {
        this.local = local;
        this.messaging = messaging;
        this.replication = replication;
        this.topology = topology;
        this.timeoutMillis = timeoutMillis;
        this.maxMessageBytes = maxMessageBytes;
        this.mayExpire = mayExpire;
    }

    /** Up to about {@code wanted} ids per member of sessions expired at {@code nowMillis}. */
    Set<String> find(long nowMillis, int wanted) {
        Set<String> candidates = new LinkedHashSet<>();
        if (replication == Replication.ALL) {
            candidates.addAll(local.expired(nowMillis, wanted, mayExpire));
            return candidates;
        }
        Topology t = topology.get();
        candidates.addAll(ownedExpired(t, nowMillis, wanted));
        byte[] ask = new Wire.Out(Kind.CANDIDATES).i64(nowMillis).i32(wanted).bytes();
        List<Address> others = new ArrayList<>(t.members());
        others.remove(t.self());
        for (byte[] answer : messaging.callAll(others, ask, timeoutMillis, "expiry sweep").values()) {
            if (answer != null) {
                Wire.In in = new Wire.In(answer, maxMessageBytes);
                int n = in.count(2);
                for (int i = 0; i < n; i++) {
                    candidates.add(in.id());
                }
            }
        }
        return candidates;
    }

    /** The answer to another member's {@code CANDIDATES}: the expired sessions this node owns. */
    byte[] answer(Wire.In in) {
        long now = in.i64();
        int limit = Math.min(in.i32(), MAX_PER_ANSWER);
        in.end();
        List<String> ids = ownedExpired(topology.get(), now, limit);
        Wire.Out out = new Wire.Out(Kind.R_IDS).i32(ids.size());
        ids.forEach(out::id);
        return out.bytes();
    }

    private List<String> ownedExpired(Topology t, long nowMillis, int limit) {
        return local.expired(nowMillis, limit, id -> t.self().equals(t.primary(id)) && mayExpire.test(id));
    }
}
