package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.ArrayList;
import java.util.List;

/** One write (or one batch) to the store and what each result means for the local copy; shared by both write modes. */
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

    StatisticsCounters counters() {
        return counters;
    }

    /** Writes; throws {@link io.sessioncluster.core.store.StoreException} if the store fails. */
    void write(PendingWrite write) {
        apply(write, timedWrite(write.changes(), write.fence()));
    }

    /**
     * Writes a batch in one {@link SessionStore#writeAll} call (write-behind: never fenced) and handles each result as
     * {@link #write} does. An entry that failed on its own is handled here ({@link #failed}: its changes go back to
     * its session), so the others are unaffected.
     *
     * @return the entries to send again because the store went down while handling their own result (an
     *         {@code ALREADY_EXISTS} rewritten as an update); usually empty
     * @throws io.sessioncluster.core.store.StoreUnavailableException if the store is down: the whole batch is to be
     *         sent again
     */
    List<PendingWrite> writeAll(List<PendingWrite> batch) {
        if (batch.stream().anyMatch(w -> w.fence().isFenced())) {
            throw new IllegalArgumentException("a fenced write cannot be batched: locking needs writeMode=sync");
        }
        List<ChangeSet> changes = new ArrayList<>(batch.size());
        batch.forEach(w -> changes.add(w.changes()));
        long start = System.nanoTime();
        List<WriteResult> results;
        try {
            results = store.writeAll(changes);
        } catch (RuntimeException e) {
            long share = (System.nanoTime() - start) / batch.size();
            batch.forEach(w -> counters.writeFailed(share));
            throw e;
        }
        if (results.size() != batch.size()) {
            throw new IllegalStateException("the store answered " + results.size() + " results for " + batch.size()
                    + " change sets");
        }
        // The batch's time shared out, so that writeNanos / writes stays the time one write costs.
        long share = (System.nanoTime() - start) / batch.size();
        List<PendingWrite> again = new ArrayList<>(0);
        for (int i = 0; i < batch.size(); i++) {
            PendingWrite write = batch.get(i);
            WriteResult result = results.get(i);
            if (result.status() == WriteResult.Status.FAILED) {
                counters.writeFailed(share);
                failed(write, new StoreException(result.problem()));
                continue;
            }
            counters.written(write.changes().attributeBytes(), share);
            try {
                apply(write, result);
            } catch (StoreUnavailableException e) {
                again.add(write);
            } catch (RuntimeException e) {
                failed(write, e);
            }
        }
        return again;
    }

    /** What a result means for the local copy. */
    private void apply(PendingWrite write, WriteResult result) {
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
            case FAILED -> throw new StoreException(result.problem());
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
