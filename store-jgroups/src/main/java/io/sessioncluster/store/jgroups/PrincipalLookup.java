package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.store.SessionStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@link SessionStore#sessionsOf}: the ids indexed under a name, from the members' {@link PrincipalIndex}es, never from a
 * look at every session. The asker sends {@code SESSIONS_OF(view name now)} to every member ({@link EveryMember}); each
 * answers the ids of the sessions it owns under the name ({@code R_IDS}), and the asker takes the union. Where this
 * member holds every session and is not catching up after a merge (mode all), it reads its own copy instead, as
 * {@code load} does. Expiry is judged by the cluster's clock, read once by the asker and sent with the question, so
 * every member judges by the same time.
 *
 * <p>Each member answers for the sessions it owns by its own picture, as a joining member would once ready
 * ({@link Topology#withSelfReady}): the owner's copy is the reference (a backup's may miss a touch), and while a
 * session moves, both answer rather than neither.
 */
final class PrincipalLookup {

    private final LocalSessions local;
    private final Supplier<Topology> topology;
    private final EveryMember everyMember;
    private final LongSupplier clusterClock;
    private final BooleanSupplier holdsEverything;
    private final BooleanSupplier syncing;

    /**
     * @param holdsEverything whether this member's own copy answers (mode all, not after a merge)
     * @param syncing         whether this member still receives the state of a merge (then it answers RETRY)
     */
    PrincipalLookup(LocalSessions local, Supplier<Topology> topology, EveryMember everyMember, LongSupplier clusterClock,
                    BooleanSupplier holdsEverything, BooleanSupplier syncing) {
        this.local = local;
        this.topology = topology;
        this.everyMember = everyMember;
        this.clusterClock = clusterClock;
        this.holdsEverything = holdsEverything;
        this.syncing = syncing;
    }

    Set<String> sessionsOf(String name) {
        if (!PrincipalChange.isIndexable(name) || !Wire.isWellFormedUtf16(name)) {
            return Set.of(); // nothing is indexed under it: no message
        }
        long now = clusterClock.getAsLong();
        if (holdsEverything.getAsBoolean()) {
            return Set.copyOf(local.indexed(name, now, id -> true));
        }
        Set<String> ids = new LinkedHashSet<>();
        everyMember.ask(view -> new Wire.Out(Kind.SESSIONS_OF).i64(view).principalName(name).i64(now).bytes(),
                Kind.R_IDS, PrincipalLookup::readIds, "sessions of a principal").forEach(ids::addAll);
        return Set.copyOf(ids);
    }

    /** A member's side: the sessions it owns under the name, not expired at the asker's time. */
    byte[] answer(Wire.In in) {
        long view = in.i64();
        String name = in.principalName();
        long now = in.time();
        in.end();
        Topology t = topology.get();
        if (syncing.getAsBoolean() || t.viewId() != view) {
            return OwnerSide.retry(); // the union is whole only from members of one view (EveryMember)
        }
        Topology owning = t.withSelfReady();
        List<String> ids = local.indexed(name, now, owning::isPrimary);
        Wire.Out out = new Wire.Out(Kind.R_IDS).i32(ids.size());
        ids.forEach(out::id);
        return out.bytes();
    }

    private static List<String> readIds(Wire.In in) {
        int n = in.count(2);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(in.id());
        }
        in.end();
        return ids;
    }
}
