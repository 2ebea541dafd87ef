package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;


/** One write to the store and what its result means for the local copy; shared by both write modes. */
final class StoreWrites {

    private static final Log log = Logs.of(StoreWrites.class);
    private static final StringManager sm = StringManager.getManager(StoreWrites.class);

    private final SessionStore store;
    private final LocalCopies copies;
    private final StatisticsCounters counters;

    StoreWrites(SessionStore store, LocalCopies copies) {
        this(store, copies, new StatisticsCounters());
    }

    StoreWrites(SessionStore store, LocalCopies copies, StatisticsCounters counters) {
        this.store = store;
        this.copies = copies;
        this.counters = counters;
    }

    /** Writes; throws {@link io.sessioncluster.core.store.StoreException} if the store fails. */
    void write(PendingWrite write) {
        WriteResult result = timedWrite(write.changes(), write.fence());
        if (result.status() == WriteResult.Status.ALREADY_EXISTS) {
            // A first write that reached the store although its answer did not (a timeout), retried: with
            // 128-bit random ids this, not a collision, is why the id exists.
            log.info(sm.getString("manager.alreadyExists", SessionIds.redact(write.id())));
            result = timedWrite(write.asUpdate().changes(), write.fence());
        }
        switch (result.status()) {
            case WRITTEN -> {
                write.session().written(result.newVersion());
                staleIfReplaced(write, result.newVersion());
            }
            case MISSING -> {
                log.info(sm.getString("manager.sessionMissing", SessionIds.redact(write.id())));
                copies.drop(write.session());
            }
            case FENCED -> {
                // Another node holds the lock now, and perhaps a newer state: this copy is out of date. It is only
                // unregistered, not discarded: a request of this node still using it (one that joined the lost lock)
                // must not find its session gone and skip its own write unseen; that write is fenced as well.
                counters.lockLost();
                write.session().markStale();
                copies.unregister(write.session());
                throw new FencedWriteException(sm.getString("manager.fenced", SessionIds.redact(write.id())));
            }
            case ALREADY_EXISTS -> throw new IllegalStateException("an update cannot find the session existing");
        }
    }

    private WriteResult timedWrite(ChangeSet changes, Fence fence) {
        long start = System.nanoTime();
        WriteResult result;
        try {
            result = store.write(changes, fence);
        } catch (RuntimeException e) {
            counters.writeFailed(System.nanoTime() - start);
            throw e;
        }
        counters.written(changes.attributeBytes(), System.nanoTime() - start);
        return result;
    }

    /**
     * A write failed for good (not retried): gives its changes back to the session, so its next request writes them
     * again, and logs. The stack trace only for what is not a store failure (a bug, a value's own code).
     */
    static void failed(PendingWrite write, RuntimeException e) {
        if (e instanceof FencedWriteException) {
            log.warn(e.getMessage()); // the changes are not given back: the copy was dropped, the client gets a 503
            return;
        }
        write.giveBack();
        if (e instanceof StoreException) {
            log.warn(sm.getString("manager.storeFailed", SessionIds.redact(write.id()), e.getMessage()));
        } else {
            log.warn(sm.getString("manager.storeFailed", SessionIds.redact(write.id()), e.toString()), e);
        }
    }

    /**
     * A copy reloaded while a request still used the old one (the old copy was stale) does not hold what that
     * request just wrote: sticky mode would serve it without asking the store, so it must reload first.
     */
    private void staleIfReplaced(PendingWrite write, long newVersion) {
        ClusteredSession current = copies.get(write.id());
        if (current != null && current != write.session() && current.storedVersion() < newVersion) {
            current.markStale();
        }
    }
}
