package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.EvictionListener;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The store as the runtime uses it, measured: each call is counted and timed under its {@link StoreOperation}, a
 * failure counted as one, the bytes of the records read added up, and its outcome tells {@link StoreAvailability}
 * whether the store answers. Each method is written out rather than passed as a lambda, so a call allocates nothing.
 */
final class MeasuredStore implements SessionStore {

    private final SessionStore store;
    private final StoreMeters meters;

    MeasuredStore(SessionStore store, StoreMeters meters) {
        this.store = store;
        this.meters = meters;
    }

    private void succeeded(StoreOperation operation, long start) {
        meters.of(operation).succeeded(meters.now() - start);
        meters.availability.answered();
    }

    /** Counts the failure; the caller rethrows {@code e}. */
    private void failed(StoreOperation operation, long start, RuntimeException e) {
        meters.of(operation).failed(meters.now() - start);
        if (e instanceof StoreUnavailableException) {
            meters.availability.unavailable();
        } else if (e instanceof StoreException) {
            meters.availability.answered(); // it answered, with something that could not be used (a corrupt record)
        }
    }

    @Override
    public Optional<SessionRecord> load(String id) {
        long start = meters.now();
        Optional<SessionRecord> record;
        try {
            record = store.load(id);
        } catch (RuntimeException e) {
            failed(StoreOperation.LOAD, start, e);
            throw e;
        }
        succeeded(StoreOperation.LOAD, start);
        if (record.isPresent()) {
            meters.read(record.get().attributeBytes());
        }
        return record;
    }

    @Override
    public OptionalLong version(String id) {
        long start = meters.now();
        try {
            OptionalLong version = store.version(id);
            succeeded(StoreOperation.VERSION, start);
            return version;
        } catch (RuntimeException e) {
            failed(StoreOperation.VERSION, start, e);
            throw e;
        }
    }

    @Override
    public WriteResult write(ChangeSet changes, Fence fence) {
        long start = meters.now();
        try {
            WriteResult result = store.write(changes, fence);
            succeeded(StoreOperation.WRITE, start);
            return result;
        } catch (RuntimeException e) {
            failed(StoreOperation.WRITE, start, e);
            throw e;
        }
    }

    @Override
    public List<WriteResult> writeAll(List<ChangeSet> changes) {
        long start = meters.now();
        try {
            List<WriteResult> results = store.writeAll(changes);
            succeeded(StoreOperation.WRITE_ALL, start);
            return results;
        } catch (RuntimeException e) {
            failed(StoreOperation.WRITE_ALL, start, e);
            throw e;
        }
    }

    @Override
    public LockAttempt lock(String id, long leaseMillis) {
        long start = meters.now();
        try {
            LockAttempt attempt = store.lock(id, leaseMillis);
            succeeded(StoreOperation.LOCK, start);
            return attempt;
        } catch (RuntimeException e) {
            failed(StoreOperation.LOCK, start, e);
            throw e;
        }
    }

    @Override
    public boolean renewLock(String id, long token, long leaseMillis) {
        long start = meters.now();
        try {
            boolean renewed = store.renewLock(id, token, leaseMillis);
            succeeded(StoreOperation.RENEW_LOCK, start);
            return renewed;
        } catch (RuntimeException e) {
            failed(StoreOperation.RENEW_LOCK, start, e);
            throw e;
        }
    }

    @Override
    public void unlock(String id, long token, Touch touch) {
        long start = meters.now();
        try {
            store.unlock(id, token, touch);
            succeeded(StoreOperation.UNLOCK, start);
        } catch (RuntimeException e) {
            failed(StoreOperation.UNLOCK, start, e);
            throw e;
        }
    }

    @Override
    public void touch(Collection<Touch> touches) {
        long start = meters.now();
        try {
            store.touch(touches);
            succeeded(StoreOperation.TOUCH, start);
        } catch (RuntimeException e) {
            failed(StoreOperation.TOUCH, start, e);
            throw e;
        }
    }

    @Override
    public boolean changeId(String oldId, String newId) {
        long start = meters.now();
        try {
            boolean moved = store.changeId(oldId, newId);
            succeeded(StoreOperation.CHANGE_ID, start);
            return moved;
        } catch (RuntimeException e) {
            failed(StoreOperation.CHANGE_ID, start, e);
            throw e;
        }
    }

    @Override
    public boolean delete(String id) {
        long start = meters.now();
        try {
            boolean deleted = store.delete(id);
            succeeded(StoreOperation.DELETE, start);
            return deleted;
        } catch (RuntimeException e) {
            failed(StoreOperation.DELETE, start, e);
            throw e;
        }
    }

    @Override
    public ExpiryClaim claimIfExpired(String id, long nowMillis) {
        long start = meters.now();
        ExpiryClaim claim;
        try {
            claim = store.claimIfExpired(id, nowMillis);
        } catch (RuntimeException e) {
            failed(StoreOperation.CLAIM_IF_EXPIRED, start, e);
            throw e;
        }
        succeeded(StoreOperation.CLAIM_IF_EXPIRED, start);
        if (claim instanceof ExpiryClaim.Claimed claimed) {
            meters.read(claimed.record().attributeBytes());
        }
        return claim;
    }

    @Override
    public List<SessionRecord> claimExpired(long nowMillis, int limit) {
        long start = meters.now();
        List<SessionRecord> claimed;
        try {
            claimed = store.claimExpired(nowMillis, limit);
        } catch (RuntimeException e) {
            failed(StoreOperation.CLAIM_EXPIRED, start, e);
            throw e;
        }
        succeeded(StoreOperation.CLAIM_EXPIRED, start);
        for (SessionRecord record : claimed) {
            meters.read(record.attributeBytes());
        }
        return claimed;
    }

    @Override
    public Set<String> sessionsOf(String principal) {
        long start = meters.now();
        try {
            Set<String> ids = store.sessionsOf(principal);
            succeeded(StoreOperation.SESSIONS_OF, start);
            return ids;
        } catch (RuntimeException e) {
            failed(StoreOperation.SESSIONS_OF, start, e);
            throw e;
        }
    }

    @Override
    public SessionPage page(String cursor, int limit) {
        long start = meters.now();
        try {
            SessionPage page = store.page(cursor, limit);
            succeeded(StoreOperation.PAGE, start);
            return page;
        } catch (RuntimeException e) {
            failed(StoreOperation.PAGE, start, e);
            throw e;
        }
    }

    @Override
    public long storeTimeMillis() {
        long start = meters.now();
        try {
            long time = store.storeTimeMillis();
            succeeded(StoreOperation.STORE_TIME, start);
            return time;
        } catch (RuntimeException e) {
            failed(StoreOperation.STORE_TIME, start, e);
            throw e;
        }
    }

    @Override
    public void announceEviction(String id) {
        long start = meters.now();
        try {
            store.announceEviction(id);
            succeeded(StoreOperation.ANNOUNCE_EVICTION, start);
        } catch (RuntimeException e) {
            failed(StoreOperation.ANNOUNCE_EVICTION, start, e);
            throw e;
        }
    }

    /** The listener hears every eviction as before; each is counted first. */
    @Override
    public void subscribeEvictions(EvictionListener listener) {
        store.subscribeEvictions(new EvictionListener() {
            @Override
            public void evicted(String id) {
                meters.evictionReceived();
                listener.evicted(id);
            }

            @Override
            public void missedEvictions() {
                meters.evictionGap();
                listener.missedEvictions();
            }
        });
    }

    @Override
    public void close() {
        store.close();
    }
}
