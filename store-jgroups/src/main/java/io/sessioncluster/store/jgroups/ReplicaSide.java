package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionRecord;

/**
 * A copy holder's side of replication: applies what a session's owner sends ({@code REPL_*}) to this node's copies,
 * with the session's lock state ({@link LockTable#fromOwner}) and principal name (the messages' trailer, {@link Wire}).
 * A delta that does not follow the copy's version, or a lock state for a session this node does not hold yet, asks the
 * owner for the whole record instead.
 */
final class ReplicaSide {

    private final LocalSessions local;

    ReplicaSide(LocalSessions local) {
        this.local = local;
    }

    byte[] answer(Wire.In in) {
        switch (in.kind) {
            case Kind.REPL_DELTA -> {
                long version = in.i64();
                ChangeSet read = in.change();
                LockState lock = in.lock();
                ChangeSet c = Wire.withPrincipal(read, in.principalChangeTail());
                in.end();
                return new Wire.Out(local.applyDelta(c, version, lock) ? Kind.R_ACK : Kind.R_NEED_FULL).bytes();
            }
            case Kind.REPL_FULL -> {
                boolean authoritative = in.bool();
                SessionRecord read = in.record();
                LockState lock = in.lock();
                SessionRecord r = Wire.withPrincipal(read, in.principalTail());
                in.end();
                local.applyFull(r, authoritative, lock);
            }
            case Kind.REPL_LOCK -> {
                String id = in.id();
                LockState lock = in.lock();
                long accessed = in.time();
                in.end();
                return new Wire.Out(local.applyLock(id, lock, accessed) ? Kind.R_ACK : Kind.R_NEED_FULL).bytes();
            }
            case Kind.REPL_REMOVE -> {
                String id = in.id();
                in.end();
                local.remove(id);
            }
            case Kind.REPL_TOUCH -> {
                int n = in.count(9);
                for (int i = 0; i < n; i++) {
                    local.touch(in.id(), in.i64());
                }
                in.end();
            }
            default -> throw new IllegalArgumentException("not a replication message: " + in.kind);
        }
        return new Wire.Out(Kind.R_ACK).bytes();
    }
}
