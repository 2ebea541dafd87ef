package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** A store that forwards every call; tests override the one they need to slow down. */
class ForwardingStore implements SessionStore {

    private final SessionStore delegate;

    ForwardingStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<SessionRecord> load(String id) {
        return delegate.load(id);
    }

    @Override
    public OptionalLong version(String id) {
        return delegate.version(id);
    }

    @Override
    public WriteResult write(ChangeSet changes, Fence fence) {
        return delegate.write(changes, fence);
    }

    @Override
    public long storeTimeMillis() {
        return delegate.storeTimeMillis();
    }

    @Override
    public LockAttempt lock(String id, long leaseMillis) {
        return delegate.lock(id, leaseMillis);
    }

    @Override
    public boolean renewLock(String id, long token, long leaseMillis) {
        return delegate.renewLock(id, token, leaseMillis);
    }

    @Override
    public void unlock(String id, long token, Touch touch) {
        delegate.unlock(id, token, touch);
    }

    @Override
    public void touch(Collection<Touch> touches) {
        delegate.touch(touches);
    }

    @Override
    public boolean changeId(String oldId, String newId) {
        return delegate.changeId(oldId, newId);
    }

    @Override
    public boolean delete(String id) {
        return delegate.delete(id);
    }

    @Override
    public Set<String> sessionsOf(String principal) {
        return delegate.sessionsOf(principal);
    }

    @Override
    public SessionPage page(String cursor, int limit) {
        return delegate.page(cursor, limit);
    }

    @Override
    public ExpiryClaim claimIfExpired(String id, long nowMillis) {
        return delegate.claimIfExpired(id, nowMillis);
    }

    @Override
    public List<SessionRecord> claimExpired(long nowMillis, int limit) {
        return delegate.claimExpired(nowMillis, limit);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
