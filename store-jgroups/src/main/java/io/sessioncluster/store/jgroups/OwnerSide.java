package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import org.jgroups.Address;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the primary owner of a session does with a request: decide under the session's lock, apply locally,
 * replicate to the copies (and wait for their acknowledgements), then answer. Every mutation of a session goes
 * through its owner, so versions grow by exactly one and two nodes never lose each other's updates. A node that
 * is not the primary in its own view answers {@link Kind#R_RETRY}; the caller looks again.
 *
 * <p>The session's cluster-wide lock ({@link LockTable}) is decided under the same per-session lock: a fenced write
 * checks its token and releases in the write's own step, a rename moves the lock to the new id's owner with the
 * record, and {@link OwnerLocks} grants, renews and releases it through {@link #underLock}.
 *
 * <p>An expiry claim is won only if the session expired by the claim's {@code now} (on the cluster's clock,
 * {@link ClusterClock}) and, during a suspected partition, this side is the one that expires it
 * ({@link PartitionGuard}); otherwise the claim of an expired session answers Gone and changes nothing.
 */
final class OwnerSide {

    private static final int STRIPES = 1024;

    private final LocalSessions local;
    private final LockTable lockTable;
    private final Supplier<Topology> topology;
    private final Replicator replicator;
    private final Router router;
    private final BiConsumer<String, Address> evictor;
    private final long lockMillis;
    private final Predicate<String> mayExpire;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private volatile boolean syncing;

    /** Sends an owner request for another session (changeId installs the new id at its own owner). */
    interface Router {
        Wire.In route(String id, byte[] request);
    }

    /** Sends a change to the copies of a session, with the session's lock state, and waits for them. */
    interface Replicator {
        void delta(Topology t, ChangeSet c, SessionRecord result, LockState lock);

        void full(Topology t, SessionRecord r, LockState lock);

        /** A grant, renewal or release, and the access time of an unlock (0: none). */
        void lock(Topology t, SessionRecord r, LockState lock, long accessedTime);

        void remove(Topology t, String id);

        /** One prepared message (a batch of touches) to one member. */
        void send(Address target, byte[] body);
    }

    /** {@code mayExpire}: whether this side of a partition may claim an expired session ({@link PartitionGuard}). */
    OwnerSide(LocalSessions local, Supplier<Topology> topology, Replicator replicator, Router router,
              BiConsumer<String, Address> evictor, long lockMillis, Predicate<String> mayExpire) {
        this.local = local;
        this.lockTable = local.locks();
        this.topology = topology;
        this.replicator = replicator;
        this.router = router;
        this.evictor = evictor;
        this.lockMillis = lockMillis;
        this.mayExpire = mayExpire;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** While true (after a merge, until the state of the other partitions arrived) owner requests are retried. */
    void syncing(boolean value) {
        syncing = value;
    }

    boolean syncing() {
        return syncing;
    }

    byte[] handle(Address origin, Wire.In in) {
        return switch (in.kind) {
            case Kind.WRITE -> write(in);
            case Kind.TOUCH -> touch(in);
            case Kind.CHANGE_ID -> changeId(origin, in);
            case Kind.INSTALL -> install(in);
            case Kind.DELETE -> delete(origin, in);
            case Kind.CLAIM -> claim(origin, in);
            case Kind.GET -> get(in);
            case Kind.VERSION -> version(in);
            default -> throw new Wire.Malformed("unexpected kind " + in.kind);
        };
    }

    static byte[] retry() {
        return new Wire.Out(Kind.R_RETRY).bytes();
    }

    private byte[] write(Wire.In in) {
        ChangeSet read = in.change();
        Fence fence = in.fence();
        ChangeSet c = Wire.withPrincipal(read, in.principalChangeTail());
        in.end();
        return underLock(c.id(), t -> {
            SessionRecord current = local.get(c.id()).orElse(null);
            if (c.created() && current != null) {
                return writeResult(WriteResult.alreadyExists());
            }
            if (!c.created() && current == null) {
                return writeResult(WriteResult.missing());
            }
            if (!c.created() && fence.isFenced() && !lockTable.isLatest(c.id(), fence.token())) {
                return writeResult(WriteResult.fenced()); // a later grant exists: this writer lost the session
            }
            if (fence.release()) {
                lockTable.release(c.id(), fence.token());
            }
            long version = current == null ? 1 : current.version() + 1;
            SessionRecord result = LocalSessions.merged(current, c, version);
            local.put(result);
            replicator.delta(t, c, result, lockTable.state(c.id()));
            return writeResult(WriteResult.written(version));
        });
    }

    private byte[] touch(Wire.In in) {
        int n = in.count(9);
        Map<String, Long> touches = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            touches.put(in.id(), in.i64());
        }
        in.end();
        Topology t = topology.get();
        Map<Address, Wire.Out> perTarget = new LinkedHashMap<>();
        Map<Address, Integer> counts = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> applied = new ArrayList<>();
        for (Map.Entry<String, Long> e : touches.entrySet()) {
            if (t.self().equals(t.primary(e.getKey())) && local.get(e.getKey()).isPresent()) {
                local.touch(e.getKey(), e.getValue());
                applied.add(e);
                for (Address target : t.replicaTargets(e.getKey())) {
                    counts.merge(target, 1, Integer::sum);
                }
            }
        }
        for (Map.Entry<Address, Integer> target : counts.entrySet()) {
            Wire.Out out = new Wire.Out(Kind.REPL_TOUCH).i32(target.getValue());
            for (Map.Entry<String, Long> e : applied) {
                if (t.replicaTargets(e.getKey()).contains(target.getKey())) {
                    out.id(e.getKey()).i64(e.getValue());
                }
            }
            perTarget.put(target.getKey(), out);
        }
        perTarget.forEach((target, out) -> replicator.send(target, out.bytes()));
        return new Wire.Out(Kind.R_ACK).bytes();
    }

    private byte[] changeId(Address origin, Wire.In in) {
        String oldId = in.id();
        String newId = in.id();
        in.end();
        return underLock(oldId, t -> {
            Optional<SessionRecord> current = local.get(oldId);
            if (current.isEmpty()) {
                return bool(false);
            }
            SessionRecord r = current.get();
            SessionRecord moved = new SessionRecord(newId, r.version(), r.creationTime(), r.lastAccessedTime(),
                    r.maxInactiveSeconds(), r.attributes(), r.principal()); // the new id takes the old one's place
            Wire.Out install = new Wire.Out(Kind.INSTALL).record(moved).lock(lockTable.state(oldId))
                    .principalTail(moved.principal());
            Wire.In answer = router.route(newId, install.bytes());
            boolean installed = answer.bool();
            if (installed) {
                local.remove(oldId);
                replicator.remove(t, oldId);
                evictor.accept(oldId, origin);
            }
            return bool(installed);
        });
    }

    private byte[] install(Wire.In in) {
        SessionRecord read = in.record();
        LockState lock = in.lock();
        SessionRecord r = Wire.withPrincipal(read, in.principalTail());
        in.end();
        return underLock(r.id(), t -> {
            if (local.get(r.id()).isPresent()) {
                return bool(false);
            }
            local.put(r);
            lockTable.forget(r.id());
            lockTable.fromOwner(r.id(), lock); // the renamed session keeps its holder, token and lease
            replicator.full(t, r, lockTable.state(r.id()));
            return bool(true);
        });
    }

    private byte[] delete(Address origin, Wire.In in) {
        String id = in.id();
        in.end();
        return underLock(id, t -> {
            if (local.get(id).isEmpty()) {
                return bool(false); // nothing to tell the copies: the owner's copy is the reference
            }
            local.remove(id);
            replicator.remove(t, id);
            evictor.accept(id, origin);
            return bool(true);
        });
    }

    private byte[] claim(Address origin, Wire.In in) {
        String id = in.id();
        long now = in.i64();
        in.end();
        return underLock(id, t -> {
            Optional<SessionRecord> current = local.get(id);
            if (current.isEmpty()) {
                return new Wire.Out(Kind.R_CLAIM).i8(0).bytes();
            }
            SessionRecord r = current.get();
            if (!r.isExpiredAt(now)) {
                return new Wire.Out(Kind.R_CLAIM).i8(1).i64(r.expiresAt()).bytes();
            }
            if (!mayExpire.test(id)) {
                // A partition is suspected and the session's owner of the last full view is on the other side, which
                // decides: gone for this side (not served, no listeners here), kept until the merge brings the outcome.
                return new Wire.Out(Kind.R_CLAIM).i8(0).bytes();
            }
            local.remove(id);
            replicator.remove(t, id);
            evictor.accept(id, origin);
            return new Wire.Out(Kind.R_CLAIM).i8(2).record(r).principalTail(r.principal()).bytes();
        });
    }

    private byte[] get(Wire.In in) {
        String id = in.id();
        in.end();
        Topology t = topology.get();
        if (!t.self().equals(t.primary(id)) || syncing) {
            return retry();
        }
        Optional<SessionRecord> r = local.get(id);
        Wire.Out out = new Wire.Out(Kind.R_RECORD).bool(r.isPresent());
        r.ifPresent(record -> out.record(record).principalTail(record.principal()));
        return out.bytes();
    }

    private byte[] version(Wire.In in) {
        String id = in.id();
        in.end();
        Topology t = topology.get();
        if (!t.self().equals(t.primary(id)) || syncing) {
            return retry();
        }
        Optional<SessionRecord> r = local.get(id);
        return new Wire.Out(Kind.R_VERSION).bool(r.isPresent()).i64(r.map(SessionRecord::version).orElse(0L)).bytes();
    }

    interface Locked {
        byte[] run(Topology t);
    }

    /** Runs {@code action} holding the session's lock, if this node is its primary; otherwise answers RETRY. */
    byte[] underLock(String id, Locked action) {
        ReentrantLock lock = locks[Math.floorMod(id.hashCode(), STRIPES)];
        try {
            if (!lock.tryLock(lockMillis, TimeUnit.MILLISECONDS)) {
                return retry();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return retry();
        }
        try {
            Topology t = topology.get();
            if (syncing || !t.self().equals(t.primary(id))) {
                return retry();
            }
            return action.run(t);
        } finally {
            lock.unlock();
        }
    }

    private static byte[] writeResult(WriteResult r) {
        return new Wire.Out(Kind.R_WRITE).i8(r.status().ordinal()).i64(r.newVersion()).bytes();
    }

    static byte[] bool(boolean v) {
        return new Wire.Out(Kind.R_BOOL).bool(v).bytes();
    }

}
