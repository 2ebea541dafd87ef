package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.ExpiryClaim;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The manager's view of its store. It is opened on first use if its backend was down when the context started, so
 * that an outage at start does not keep the web application from starting: until the backend answers, every
 * operation fails fast with {@link StoreUnavailableException} (requests get 503), and opening is retried at most
 * once a second. Every call runs with this library's class loader as context loader (see {@link #call}).
 */
final class DeferredStore implements SessionStore {

    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final ClassLoader OWN_LOADER = DeferredStore.class.getClassLoader();

    private final Supplier<SessionStore> opener;
    private final Runnable onLateOpen;
    private volatile SessionStore delegate;
    private long nextAttempt;
    private StoreUnavailableException lastFailure;
    private boolean closed;
    /** Handed to the real store when it opens, if that is after {@link #subscribeEvictions}. */
    private EvictionListener evictionListener;

    /**
     * @param opener     opens the real store; throws {@link StoreUnavailableException} while the backend is down
     * @param onLateOpen called once when the store opens after a failed first attempt
     */
    /**
     * Opens a store now or, if its backend does not answer yet, on first use: {@code deferred} hears why, and
     * {@code onLateOpen} when it opens later.
     *
     * @throws RuntimeException if the store cannot be created at all (bad settings the provider found): the
     *                          caller fails its start with it
     */
    static DeferredStore open(Supplier<SessionStore> opener, Runnable onLateOpen,
                              Consumer<StoreUnavailableException> deferred) {
        DeferredStore store = new DeferredStore(opener, onLateOpen);
        try {
            store.openNow();
        } catch (StoreUnavailableException e) {
            deferred.accept(e);
        }
        return store;
    }

    DeferredStore(Supplier<SessionStore> opener, Runnable onLateOpen) {
        this.opener = opener;
        this.onLateOpen = onLateOpen;
    }

    /** Tries to open now. @throws StoreUnavailableException if the backend is down (retried on use) */
    void openNow() {
        call(s -> s);
    }

    private SessionStore store() {
        SessionStore open = delegate;
        if (open != null) {
            return open;
        }
        boolean late;
        synchronized (this) {
            if (delegate != null) {
                return delegate;
            }
            if (closed) {
                throw new StoreUnavailableException("the session store is closed", null);
            }
            long now = System.nanoTime();
            if (lastFailure != null && now - nextAttempt < 0) {
                throw new StoreUnavailableException("the session store is not reachable yet: " + lastFailure.getMessage(),
                        lastFailure);
            }
            try {
                delegate = opener.get();
            } catch (StoreUnavailableException e) {
                lastFailure = e;
                nextAttempt = now + RETRY_NANOS;
                throw e;
            }
            late = lastFailure != null;
            lastFailure = null;
            if (evictionListener != null) {
                delegate.subscribeEvictions(evictionListener);
            }
        }
        if (late) {
            onLateOpen.run();
        }
        return delegate;
    }

    /**
     * Runs a store call with this library's loader as the thread's context loader: threads a store starts lazily
     * (a Redis client's event loops) inherit the context loader of the thread that first needs them, a request
     * thread, and must not pin the web application's loader after a redeploy.
     */
    private <T> T call(Function<SessionStore, T> operation) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (previous == OWN_LOADER) {
            return operation.apply(store());
        }
        thread.setContextClassLoader(OWN_LOADER);
        try {
            return operation.apply(store());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public Optional<SessionRecord> load(String id) {
        return call(s -> s.load(id));
    }

    @Override
    public OptionalLong version(String id) {
        return call(s -> s.version(id));
    }

    @Override
    public WriteResult write(ChangeSet changes, Fence fence) {
        return call(s -> s.write(changes, fence));
    }

    @Override
    public List<WriteResult> writeAll(List<ChangeSet> changes) {
        return call(s -> s.writeAll(changes));
    }

    @Override
    public long storeTimeMillis() {
        return call(SessionStore::storeTimeMillis);
    }

    @Override
    public LockAttempt lock(String id, long leaseMillis) {
        return call(s -> s.lock(id, leaseMillis));
    }

    @Override
    public boolean renewLock(String id, long token, long leaseMillis) {
        return call(s -> s.renewLock(id, token, leaseMillis));
    }

    @Override
    public void unlock(String id, long token, Touch touch) {
        call(s -> {
            s.unlock(id, token, touch);
            return null;
        });
    }

    @Override
    public void touch(Collection<Touch> touches) {
        call(s -> {
            s.touch(touches);
            return null;
        });
    }

    @Override
    public boolean changeId(String oldId, String newId) {
        return call(s -> s.changeId(oldId, newId));
    }

    @Override
    public boolean delete(String id) {
        return call(s -> s.delete(id));
    }

    @Override
    public Set<String> sessionsOf(String principal) {
        return call(s -> s.sessionsOf(principal));
    }

    @Override
    public SessionPage page(String cursor, int limit) {
        return call(s -> s.page(cursor, limit));
    }

    @Override
    public ExpiryClaim claimIfExpired(String id, long nowMillis) {
        return call(s -> s.claimIfExpired(id, nowMillis));
    }

    @Override
    public List<SessionRecord> claimExpired(long nowMillis, int limit) {
        return call(s -> s.claimExpired(nowMillis, limit));
    }

    @Override
    public void announceEviction(String id) {
        try {
            call(s -> {
                s.announceEviction(id);
                return null;
            });
        } catch (StoreException e) {
            // best effort: the store is not open yet, so no other node can hold a copy it served from it lately
        }
    }

    @Override
    public void subscribeEvictions(EvictionListener listener) {
        SessionStore open;
        synchronized (this) {
            evictionListener = listener;
            open = delegate;
        }
        if (open != null) {
            call(s -> {
                s.subscribeEvictions(listener);
                return null;
            });
        }
    }

    @Override
    public void close() {
        SessionStore open;
        synchronized (this) {
            closed = true;
            open = delegate;
            delegate = null;
        }
        if (open != null) {
            // Shutting a client down may start executor threads too: same context loader rule as for calls.
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(OWN_LOADER);
            try {
                open.close();
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }
}
