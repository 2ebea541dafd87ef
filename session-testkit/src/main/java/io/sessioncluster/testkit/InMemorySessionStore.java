package io.sessioncluster.testkit;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.EvictionListener;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small, correct, thread-safe {@link SessionStore} that keeps sessions in this JVM's memory, for tests. Stores
 * opened with the same name share one backend, so several "nodes" (Tomcat managers) in one JVM see each other's
 * sessions as they would through Redis. Selected with {@code store="memory"} and {@code memoryName}.
 *
 * <p>Rules beyond the {@link SessionStore} contract, the same as the Redis store's: a session's last access
 * time never moves backwards (a write or touch that carries an older time than the stored one keeps the stored
 * one), and nothing expires on its own: sessions stay until claimed or deleted, like the Redis store's data
 * during its grace period.
 *
 * <p>Evictions ({@link #subscribeEvictions}) work as through Redis: each store instance is one node, told of
 * the deletes, renames, won expiry claims and announcements of the other stores over its backend, never of its
 * own. Listeners are called on the caller's thread, after the backend's lock is released. Lifting a simulated
 * outage tells every listener it may have missed evictions.
 *
 * <p>Byte arrays are copied in and out, so a test that mutates a value it wrote or loaded cannot corrupt the
 * store.
 */
public final class InMemorySessionStore implements SessionStore {

    private final String name;
    private final InMemoryBackend backend;
    private volatile boolean closed;

    private InMemorySessionStore(String name) {
        this.name = name;
        this.backend = InMemoryBackend.named(name);
    }

    /** Opens a store over the backend called {@code name}, creating the backend on first use. */
    public static InMemorySessionStore open(String name) {
        return new InMemorySessionStore(Objects.requireNonNull(name, "name"));
    }

    /** Removes every session of the backend called {@code name}; for test set-up. */
    public static void clear(String name) {
        InMemoryBackend backend = InMemoryBackend.named(name);
        synchronized (backend.lock) {
            backend.sessions.clear();
        }
    }

    /**
     * Makes every operation of every store over the backend called {@code name} throw
     * {@link StoreUnavailableException} until called again with false: a backend outage, for failure tests.
     */
    public static void simulateOutage(String name, boolean down) {
        InMemoryBackend backend = InMemoryBackend.named(name);
        boolean wasDown = backend.unavailable;
        backend.unavailable = down;
        if (wasDown && !down) {
            backend.subscribers.forEach(s -> s.listener().missedEvictions());
        }
    }

    /** The number of sessions the backend called {@code name} holds; for assertions. */
    public static int size(String name) {
        InMemoryBackend backend = InMemoryBackend.named(name);
        synchronized (backend.lock) {
            return backend.sessions.size();
        }
    }

    @Override
    public Optional<SessionRecord> load(String id) {
        check("load");
        synchronized (backend.lock) {
            return Optional.ofNullable(backend.sessions.get(id)).map(InMemorySessionStore::copy);
        }
    }

    @Override
    public OptionalLong version(String id) {
        check("version");
        synchronized (backend.lock) {
            SessionRecord record = backend.sessions.get(id);
            return record == null ? OptionalLong.empty() : OptionalLong.of(record.version());
        }
    }

    @Override
    public WriteResult write(ChangeSet changes, Fence fence) {
        check("write");
        synchronized (backend.lock) {
            SessionRecord old = backend.sessions.get(changes.id());
            if (old == null && !changes.created()) {
                return WriteResult.missing();
            }
            if (old != null && changes.created()) {
                return WriteResult.alreadyExists();
            }
            InMemoryBackend.LockState lock = backend.locks.get(changes.id());
            if (!changes.created() && fence.isFenced() && (lock == null || lock.token() != fence.token())) {
                return WriteResult.fenced();
            }
            if (fence.release() && lock != null) {
                backend.locks.put(changes.id(), new InMemoryBackend.LockState(lock.token(), 0));
            }
            Map<String, byte[]> attributes = old == null ? new LinkedHashMap<>() : new LinkedHashMap<>(old.attributes());
            changes.setAttributes().forEach((key, value) -> attributes.put(key, value.clone()));
            changes.removedAttributes().forEach(attributes::remove);
            long version = old == null ? 1 : old.version() + 1;
            long accessed = old == null ? changes.lastAccessedTime() : Math.max(old.lastAccessedTime(), changes.lastAccessedTime());
            String principal = changes.principal().changed() ? changes.principal().name()
                    : old == null ? null : old.principal();
            backend.sessions.put(changes.id(), new SessionRecord(changes.id(), version, changes.creationTime(), accessed,
                    changes.maxInactiveSeconds(), attributes, principal));
            return WriteResult.written(version);
        }
    }

    @Override
    public LockAttempt lock(String id, long leaseMillis) {
        check("lock");
        SessionStore.requirePositiveLease(leaseMillis);
        long now = System.currentTimeMillis();
        synchronized (backend.lock) {
            SessionRecord record = backend.sessions.get(id);
            if (record == null) {
                return LockAttempt.MISSING;
            }
            InMemoryBackend.LockState lock = backend.locks.get(id);
            if (lock != null && lock.leaseEnd() > now) {
                return new LockAttempt.Held(lock.leaseEnd() - now);
            }
            long token = lock == null ? 1 : lock.token() + 1;
            backend.locks.put(id, new InMemoryBackend.LockState(token, now + leaseMillis));
            return new LockAttempt.Granted(token, record.version());
        }
    }

    @Override
    public boolean renewLock(String id, long token, long leaseMillis) {
        check("renewLock");
        SessionStore.requirePositiveLease(leaseMillis);
        synchronized (backend.lock) {
            InMemoryBackend.LockState lock = backend.locks.get(id);
            if (!backend.sessions.containsKey(id) || lock == null || lock.token() != token) {
                return false;
            }
            backend.locks.put(id, new InMemoryBackend.LockState(token, System.currentTimeMillis() + leaseMillis));
            return true;
        }
    }

    @Override
    public void unlock(String id, long token, Touch touch) {
        check("unlock");
        synchronized (backend.lock) {
            InMemoryBackend.LockState lock = backend.locks.get(id);
            if (lock != null && lock.token() == token) {
                backend.locks.put(id, new InMemoryBackend.LockState(token, 0));
            }
        }
        if (touch != null) {
            touch(List.of(touch));
        }
    }

    @Override
    public void touch(Collection<Touch> touches) {
        check("touch");
        synchronized (backend.lock) {
            for (Touch touch : touches) {
                SessionRecord old = backend.sessions.get(touch.id());
                if (old != null && touch.lastAccessedTime() > old.lastAccessedTime()) {
                    backend.sessions.put(touch.id(), new SessionRecord(old.id(), old.version(), old.creationTime(),
                            touch.lastAccessedTime(), old.maxInactiveSeconds(), old.attributes(), old.principal()));
                }
            }
        }
    }

    @Override
    public boolean changeId(String oldId, String newId) {
        check("changeId");
        synchronized (backend.lock) {
            SessionRecord old = backend.sessions.get(oldId);
            if (old == null || backend.sessions.containsKey(newId)) {
                return false;
            }
            backend.sessions.remove(oldId);
            InMemoryBackend.LockState lock = backend.locks.remove(oldId);
            if (lock != null) {
                backend.locks.put(newId, lock);
            }
            backend.sessions.put(newId, new SessionRecord(newId, old.version(), old.creationTime(), old.lastAccessedTime(),
                    old.maxInactiveSeconds(), old.attributes(), old.principal()));
        }
        backend.evicted(this, oldId);
        return true;
    }

    @Override
    public boolean delete(String id) {
        check("delete");
        boolean removed;
        synchronized (backend.lock) {
            removed = backend.sessions.remove(id) != null;
            backend.locks.remove(id);
        }
        if (removed) {
            backend.evicted(this, id);
        }
        return removed;
    }

    @Override
    public ExpiryClaim claimIfExpired(String id, long nowMillis) {
        check("claimIfExpired");
        SessionRecord record;
        synchronized (backend.lock) {
            record = backend.sessions.get(id);
            if (record == null) {
                return ExpiryClaim.GONE;
            }
            if (!record.isExpiredAt(nowMillis)) {
                return new ExpiryClaim.Alive(record.expiresAt());
            }
            backend.sessions.remove(id);
            backend.locks.remove(id);
        }
        backend.evicted(this, id);
        return new ExpiryClaim.Claimed(copy(record));
    }

    @Override
    public List<SessionRecord> claimExpired(long nowMillis, int limit) {
        check("claimExpired");
        List<SessionRecord> claimed = new ArrayList<>();
        synchronized (backend.lock) {
            Iterator<SessionRecord> it = backend.sessions.values().iterator();
            while (it.hasNext() && claimed.size() < limit) {
                SessionRecord record = it.next();
                if (record.isExpiredAt(nowMillis)) {
                    it.remove();
                    backend.locks.remove(record.id());
                    claimed.add(copy(record));
                }
            }
        }
        claimed.forEach(r -> backend.evicted(this, r.id()));
        return claimed;
    }

    /** A test store: finds a name's sessions by looking at every session, which the real stores never do. */
    @Override
    public Set<String> sessionsOf(String principal) {
        check("sessionsOf");
        long now = System.currentTimeMillis();
        Set<String> ids = new TreeSet<>();
        synchronized (backend.lock) {
            for (SessionRecord record : backend.sessions.values()) {
                if (principal != null && principal.equals(record.principal()) && !record.isExpiredAt(now)) {
                    ids.add(record.id());
                }
            }
        }
        return ids;
    }

    /** Pages in id order; the cursor is the last id of the page before. */
    @Override
    public SessionPage page(String cursor, int limit) {
        check("page");
        SessionStore.requirePageLimit(limit);
        if (cursor != null && !SessionIds.isWellFormed(cursor)) {
            throw new IllegalArgumentException("not a cursor of this store: " + SessionIds.redact(cursor));
        }
        List<SessionSummary> page = new ArrayList<>();
        synchronized (backend.lock) {
            TreeMap<String, SessionRecord> sorted = new TreeMap<>(backend.sessions);
            var rest = cursor == null ? sorted : sorted.tailMap(cursor, false);
            for (SessionRecord record : rest.values()) {
                if (page.size() == limit) {
                    return new SessionPage(page, page.get(page.size() - 1).id());
                }
                page.add(SessionSummary.of(record));
            }
        }
        return new SessionPage(page, null);
    }

    @Override
    public void announceEviction(String id) {
        if (!closed && !backend.unavailable) { // best effort, never throws
            backend.evicted(this, id);
        }
    }

    @Override
    public void subscribeEvictions(EvictionListener listener) {
        // No check(): a node subscribes at start, which must work during an outage too.
        backend.subscribers.add(new InMemoryBackend.Subscriber(this, Objects.requireNonNull(listener, "listener")));
    }

    @Override
    public void close() {
        // The backend outlives its stores on purpose: other "nodes" may still use it.
        closed = true;
        backend.subscribers.removeIf(s -> s.node() == this);
    }

    private void check(String operation) {
        if (closed) {
            throw new StoreException(operation + " on closed in-memory store [" + name + "]");
        }
        if (backend.unavailable) {
            throw new StoreUnavailableException(operation + ": in-memory store [" + name + "] is down (simulated outage)", null);
        }
    }

    private static SessionRecord copy(SessionRecord record) {
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        record.attributes().forEach((key, value) -> attributes.put(key, value.clone()));
        return new SessionRecord(record.id(), record.version(), record.creationTime(), record.lastAccessedTime(),
                record.maxInactiveSeconds(), attributes, record.principal());
    }

    @Override
    public String toString() {
        return "InMemorySessionStore[" + name + "]";
    }
}
