package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.StoreException;
import org.jgroups.Address;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the primary owner of a session does with a lock request ({@code LOCK}, {@code RENEW}, {@code UNLOCK}):
 * decide under the session's lock ({@link OwnerSide#underLock}, the one its writes take, so a grant and a fenced
 * write are ordered), change its {@link LockTable}, send the new lock state to the copies and wait for them, then
 * answer. The holder of a grant is the member that asked.
 *
 * <ul>
 *   <li>A grant is answered only once every copy acknowledged its token, so that a copy that becomes the owner
 *       never grants the same token again. If that fails, the grant is taken back (released, the token stays used)
 *       and the caller's lock fails as unavailable.</li>
 *   <li>A grant for a member that left the view meanwhile is not made: nothing would end it before its lease.</li>
 *   <li>A release reaches the copies best effort: a copy that missed it keeps the lease, which only delays the next
 *       grant if that copy becomes the owner (the safe side).</li>
 * </ul>
 */
final class OwnerLocks {

    private final OwnerSide owner;
    private final LocalSessions local;
    private final LockTable locks;
    private final OwnerSide.Replicator replicator;
    private final Supplier<Topology> topology;

    OwnerLocks(OwnerSide owner, LocalSessions local, OwnerSide.Replicator replicator, Supplier<Topology> topology) {
        this.owner = owner;
        this.local = local;
        this.locks = local.locks();
        this.replicator = replicator;
        this.topology = topology;
    }

    byte[] handle(Address origin, Wire.In in) {
        return switch (in.kind) {
            case Kind.LOCK -> lock(origin, in);
            case Kind.RENEW -> renew(origin, in);
            case Kind.UNLOCK -> unlock(in);
            default -> throw new Wire.Malformed("unexpected kind " + in.kind);
        };
    }

    private byte[] lock(Address origin, Wire.In in) {
        String id = in.id();
        long lease = in.positive("lease");
        in.end();
        return owner.underLock(id, t -> {
            Optional<SessionRecord> r = local.get(id);
            if (r.isEmpty()) {
                return attempt(LockAttempt.MISSING);
            }
            LockAttempt attempt = locks.tryGrant(id, lease, origin, r.get().version());
            if (!(attempt instanceof LockAttempt.Granted granted)) {
                return attempt(attempt);
            }
            // Checked after the grant, on the newest view: a view change that removed the asker either released this
            // grant already (LockTable.releaseDeparted) or is seen here.
            if (!topology.get().members().contains(origin)) {
                locks.release(id, granted.token());
                return OwnerSide.retry();
            }
            try {
                replicator.lock(t, r.get(), locks.state(id), 0);
            } catch (RuntimeException e) {
                locks.release(id, granted.token());
                throw e;
            }
            return attempt(attempt);
        });
    }

    private byte[] renew(Address origin, Wire.In in) {
        String id = in.id();
        long token = in.positive("token");
        long lease = in.positive("lease");
        in.end();
        return owner.underLock(id, t -> {
            Optional<SessionRecord> r = local.get(id);
            if (r.isEmpty() || !locks.renew(id, token, lease, origin)) {
                return OwnerSide.bool(false);
            }
            replicator.lock(t, r.get(), locks.state(id), 0);
            return OwnerSide.bool(true);
        });
    }

    private byte[] unlock(Wire.In in) {
        String id = in.id();
        long token = in.positive("token");
        long accessed = in.time();
        in.end();
        return owner.underLock(id, t -> {
            Optional<SessionRecord> r = local.get(id);
            if (r.isEmpty()) {
                return ack(); // nothing to release, and a touch never creates a session
            }
            boolean released = locks.release(id, token);
            boolean touched = accessed > r.get().lastAccessedTime();
            if (touched) {
                local.touch(id, accessed);
            }
            if (released || touched) {
                try {
                    replicator.lock(t, local.get(id).orElse(r.get()), locks.state(id), accessed);
                } catch (StoreException e) {
                    // best effort, as touches are: a copy that missed the release keeps the lease (the safe side)
                }
            }
            return ack();
        });
    }

    private static byte[] attempt(LockAttempt a) {
        return new Wire.Out(Kind.R_LOCK).attempt(a).bytes();
    }

    private static byte[] ack() {
        return new Wire.Out(Kind.R_ACK).bytes();
    }
}
