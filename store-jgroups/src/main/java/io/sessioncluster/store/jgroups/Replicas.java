package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.jgroups.Address;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The owner's side of replication: sends a change to the members that hold copies and waits until each one
 * acknowledged (members that left are skipped). A copy that is behind (it missed a change, or is new after a
 * view change) answers NEED_FULL and receives the whole record before the write is acknowledged.
 */
final class Replicas implements OwnerSide.Replicator {

    private final Messaging messaging;
    private final long timeoutMillis;
    private final int maxMessageBytes;

    Replicas(Messaging messaging, long timeoutMillis, int maxMessageBytes) {
        this.messaging = messaging;
        this.timeoutMillis = timeoutMillis;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void delta(Topology t, ChangeSet c, SessionRecord result) {
        Set<Address> targets = t.replicaTargets(c.id());
        byte[] body = new Wire.Out(Kind.REPL_DELTA).i64(result.version()).change(c).bytes();
        Map<Address, byte[]> answers = messaging.callAll(targets, body, timeoutMillis, "replicate");
        List<Address> behind = new ArrayList<>();
        for (Map.Entry<Address, byte[]> e : answers.entrySet()) {
            if (e.getValue() != null && new Wire.In(e.getValue(), maxMessageBytes).kind == Kind.R_NEED_FULL) {
                behind.add(e.getKey());
            }
        }
        if (!behind.isEmpty()) {
            fullTo(behind, result, true); // a copy that missed changes takes the whole record as is
        }
    }

    @Override
    public void full(Topology t, SessionRecord r) {
        fullTo(t.replicaTargets(r.id()), r, true);
    }

    void fullTo(java.util.Collection<Address> targets, SessionRecord r, boolean authoritative) {
        byte[] body = new Wire.Out(Kind.REPL_FULL).bool(authoritative).record(r).bytes();
        messaging.callAll(targets, body, timeoutMillis, "replicate session " + SessionIds.redact(r.id()));
    }

    @Override
    public void remove(Topology t, String id) {
        byte[] body = new Wire.Out(Kind.REPL_REMOVE).id(id).bytes();
        messaging.callAll(t.replicaTargets(id), body, timeoutMillis, "replicate delete");
    }

    @Override
    public void send(Address target, byte[] body) {
        try {
            messaging.callAll(List.of(target), body, timeoutMillis, "replicate touch");
        } catch (StoreUnavailableException e) {
            // touches are best effort
        }
    }
}
