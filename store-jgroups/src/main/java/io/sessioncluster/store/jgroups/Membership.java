package io.sessioncluster.store.jgroups;

import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.View;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who is in the cluster and who is ready to own sessions, and the {@link Topology} that follows from it. A member
 * is ready once it announced that its state transfer is done; every side of a merge was a running cluster, so its
 * members count as ready at once. Each change recomputes the topology, which readers take without a lock.
 */
final class Membership {

    private final JChannel channel;
    private final Replication replication;
    private final int backups;

    private volatile Topology topology;
    // Guarded by this: the view's members, those known to be ready, and whether this node is.
    private List<Address> members = List.of();
    private long viewId;
    private final Set<Address> readyMembers = new LinkedHashSet<>();
    private boolean selfReady;

    Membership(JChannel channel, Replication replication, int backups) {
        this.channel = channel;
        this.replication = replication;
        this.backups = backups;
    }

    /** The current topology; null until this node connected. */
    Topology topology() {
        return topology;
    }

    /**
     * A new view.
     *
     * @return whether it is a merge of partitions
     */
    synchronized boolean viewAccepted(View view) {
        boolean merged = view instanceof MergeView;
        members = view.getMembers();
        viewId = view.getViewId().getId();
        if (merged) {
            readyMembers.addAll(members);
        }
        readyMembers.retainAll(members);
        recompute();
        return merged;
    }

    /** This node connected: a first topology from the channel's view. */
    synchronized void connected() {
        recompute();
    }

    synchronized void memberReady(Address member) {
        readyMembers.add(member);
        recompute();
    }

    synchronized void selfReady() {
        selfReady = true;
        recompute();
    }

    synchronized boolean isSelfReady() {
        return selfReady;
    }

    private void recompute() {
        Address self = channel.address();
        if (self == null) {
            return;
        }
        if (members.isEmpty() && channel.getView() != null) {
            members = channel.getView().getMembers();
            viewId = channel.getView().getViewId().getId();
        }
        Set<Address> ready = new LinkedHashSet<>(readyMembers);
        if (selfReady) {
            ready.add(self);
        }
        topology = new Topology(self, members, ready, replication, backups, viewId);
    }
}
