package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.StoreException;
import org.jgroups.Address;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * After a view or readiness change, in primary-backup: the new primary of each session sends it, with its lock state,
 * to members that just became owners, and a member that is no longer an owner drops its copy and lock state. Mode all
 * needs nothing: every member already holds everything. Runs on the store's single background thread.
 */
final class Rebalancer {

    private final LocalSessions local;
    private final Replicas replicas;
    private final Replication replication;
    private final Supplier<Topology> topology;
    private final BooleanSupplier closed;
    private final Consumer<String> warn;
    private Topology lastDone; // background thread only

    Rebalancer(LocalSessions local, Replicas replicas, Replication replication, Supplier<Topology> topology,
               BooleanSupplier closed, Consumer<String> warn) {
        this.local = local;
        this.replicas = replicas;
        this.replication = replication;
        this.topology = topology;
        this.closed = closed;
        this.warn = warn;
    }

    /** This node is ready: what it holds now matches the current picture. */
    void start() {
        lastDone = topology.get();
    }

    void run() {
        Topology now = topology.get();
        Topology before = lastDone;
        if (before == null || !now.isReady(now.self())) {
            return;
        }
        if (replication == Replication.ALL) {
            lastDone = now;
            return;
        }
        for (SessionRecord r : List.copyOf(local.all())) {
            if (closed.getAsBoolean() || topology.get() != now) {
                return; // closing, or a newer picture whose run follows (from the same 'before': pushes repeat harmlessly)
            }
            List<Address> owners = now.owners(r.id());
            if (now.self().equals(now.primary(r.id()))) {
                List<Address> fresh = new ArrayList<>(owners);
                fresh.removeAll(before.owners(r.id()));
                fresh.remove(now.self());
                if (!fresh.isEmpty()) {
                    try {
                        replicas.fullTo(fresh, r, local.locks().state(r.id()), false);
                    } catch (StoreException e) {
                        warn.accept(e.getMessage());
                    }
                }
            } else if (!owners.contains(now.self())) {
                local.drop(r.id());
            }
        }
        lastDone = now;
    }
}
