package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.jgroups.Address;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The owner's side of replication: sends a change to the members that hold copies and waits until each one
 * acknowledged (members that left are skipped). A copy that is behind (it missed a change, or is new after a
 * view change) answers NEED_FULL and receives the whole record before the write is acknowledged. A session's lock
 * state travels with each of these messages, and alone (REPL_LOCK) for grants, renewals and releases.
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
    public void delta(Topology t, ChangeSet c, SessionRecord result, LockState lock) {
        byte[] body = new Wire.Out(Kind.REPL_DELTA).i64(result.version()).change(c).lock(lock)
                .principalChangeTail(c.principal()).bytes();
        callAndCatchUp(t, result, lock, body, "replicate");
    }

    @Override
    public void full(Topology t, SessionRecord r, LockState lock) {
        fullTo(t.replicaTargets(r.id()), r, lock, true);
    }

    @Override
    public void lock(Topology t, SessionRecord r, LockState lock, long accessedTime) {
        byte[] body = new Wire.Out(Kind.REPL_LOCK).id(r.id()).lock(lock).i64(accessedTime).bytes();
        callAndCatchUp(t, r, lock, body, "replicate lock");
    }

    void fullTo(java.util.Collection<Address> targets, SessionRecord r, LockState lock, boolean authoritative) {
        byte[] body = new Wire.Out(Kind.REPL_FULL).bool(authoritative).record(r).lock(lock)
                .principalTail(r.principal()).bytes();
        messaging.callAll(targets, body, timeoutMillis, "replicate session " + SessionIds.redact(r.id()));
    }

    /** Sends {@code body} to the copies; those that answer NEED_FULL receive the whole record (and lock) as is. */
    private void callAndCatchUp(Topology t, SessionRecord r, LockState lock, byte[] body, String what) {
        Map<Address, byte[]> answers = messaging.callAll(t.replicaTargets(r.id()), body, timeoutMillis, what);
        List<Address> behind = new ArrayList<>();
        for (Map.Entry<Address, byte[]> e : answers.entrySet()) {
            if (e.getValue() != null && new Wire.In(e.getValue(), maxMessageBytes).kind == Kind.R_NEED_FULL) {
                behind.add(e.getKey());
            }
        }
        if (!behind.isEmpty()) {
            fullTo(behind, r, lock, true);
        }
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
