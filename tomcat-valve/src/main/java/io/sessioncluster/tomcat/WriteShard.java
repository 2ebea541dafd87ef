package io.sessioncluster.tomcat;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One writer thread of {@link AsyncSessionWriter} and the queue of the sessions it owns. It takes up to
 * {@code maxBatch} queued sessions at once, oldest first, and writes them in one {@link StoreWrites#writeAll}: a
 * session is in at most one batch at a time and its changes queued meanwhile wait for the next, so its writes reach
 * the store in order. A batch that finds the store down goes back to the head of the queue and is retried.
 */
final class WriteShard {

    private static final Log log = Logs.of(WriteShard.class);
    private static final StringManager sm = StringManager.getManager(WriteShard.class);
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The answer to an offer. */
    enum Offer { QUEUED, FULL, CLOSING }

    private final StoreWrites writes;
    private final QueueRoom room;
    private final int maxBatch;
    private final RateLimitedLog failures;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever the queue or the batch in flight changes. */
    private final Condition changed = lock.newCondition();
    /** Signalled only when closing, to cut a retry pause short. */
    private final Condition closingSignal = lock.newCondition();
    /** Session id to its pending write, in the order the sessions were first queued. Guarded by {@link #lock}. */
    private final LinkedHashMap<String, PendingWrite> queue = new LinkedHashMap<>();
    /** Ids of the batch being written. Guarded by {@link #lock}. */
    private final Set<String> inFlight = new HashSet<>();
    private boolean closing;
    private long closeDeadline;
    private final Thread thread;

    WriteShard(StoreWrites writes, QueueRoom room, int maxBatch, RateLimitedLog failures, String threadName) {
        this.writes = writes;
        this.room = room;
        this.maxBatch = maxBatch;
        this.failures = failures;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        // Not the web application's loader: this thread must not pin it.
        thread.setContextClassLoader(WriteShard.class.getClassLoader());
        thread.start();
    }

    /** Queues a write, merged into the session's queued one if there is one; never waits. */
    Offer offer(PendingWrite write) {
        lock.lock();
        try {
            if (closing) {
                return Offer.CLOSING;
            }
            PendingWrite queued = queue.get(write.id());
            if (queued != null) {
                queue.put(write.id(), queued.then(write));
                return Offer.QUEUED;
            }
            if (!room.tryTake()) {
                return Offer.FULL;
            }
            queue.put(write.id(), write);
            changed.signalAll();
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Sessions waiting in this queue, not counting a batch in flight. */
    int queuedSessions() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    boolean hasPending(String id) {
        lock.lock();
        try {
            return inFlight.contains(id) || queue.containsKey(id);
        } finally {
            lock.unlock();
        }
    }

    /** See {@link SessionWriter#settle}. */
    void settle(String id, boolean discard) {
        PendingWrite queued;
        lock.lock();
        try {
            long nanos = CLOSE_TIMEOUT_NANOS;
            while (inFlight.contains(id) && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            queued = queue.remove(id);
            if (queued != null) {
                room.release(1);
            }
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            lock.unlock();
        }
        if (queued == null || discard) {
            return;
        }
        try {
            writes.write(queued);
        } catch (StoreException e) {
            lock.lock();
            try {
                requeueFirst(List.of(queued));
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** Stops taking writes; what is queued is still written until {@code deadlineNanos}. */
    void beginClose(long deadlineNanos) {
        lock.lock();
        try {
            closing = true;
            closeDeadline = deadlineNanos;
            changed.signalAll();
            closingSignal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the thread to finish what is queued; interrupts it if it outlives {@code deadlineNanos} by 2 s. */
    void awaitClosed(long deadlineNanos) throws InterruptedException {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()) + 2_000));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(2_000);
        }
    }

    private void run() {
        while (true) {
            List<PendingWrite> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closing) {
                    changed.await();
                }
                if (queue.isEmpty()) {
                    return;
                }
                batch = takeOldest();
                changed.signalAll();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }

            List<PendingWrite> again = attempt(batch);

            lock.lock();
            try {
                inFlight.clear();
                if (!again.isEmpty()) {
                    if (closing && System.nanoTime() - closeDeadline > 0) {
                        log.warn(sm.getString("manager.asyncLost", Integer.valueOf(queue.size() + again.size())));
                        room.release(queue.size());
                        queue.clear();
                        changed.signalAll();
                        return;
                    }
                    requeueFirst(again);
                }
                changed.signalAll();
                if (!again.isEmpty()) {
                    // A shorter pause once closing, so the queue gets every chance before the deadline.
                    boolean wasClosing = closing;
                    long nanos = wasClosing ? RETRY_PAUSE_NANOS / 5 : RETRY_PAUSE_NANOS;
                    while (nanos > 0 && closing == wasClosing) {
                        nanos = closingSignal.awaitNanos(nanos);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Takes up to {@link #maxBatch} entries, oldest first, and marks them in flight. Lock held. */
    private List<PendingWrite> takeOldest() {
        List<PendingWrite> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
        Iterator<Map.Entry<String, PendingWrite>> oldest = queue.entrySet().iterator();
        while (oldest.hasNext() && batch.size() < maxBatch) {
            PendingWrite next = oldest.next().getValue();
            oldest.remove();
            batch.add(next);
            inFlight.add(next.id());
        }
        room.release(batch.size());
        return batch;
    }

    /** @return the writes that found the store down and must be retried */
    private List<PendingWrite> attempt(List<PendingWrite> batch) {
        try {
            return writes.writeAll(batch);
        } catch (StoreUnavailableException e) {
            long suppressed = failures.permit("unavailable");
            if (suppressed >= 0) {
                log.warn(sm.getString("manager.asyncFailed", Integer.valueOf(batch.size()),
                        SessionIds.redact(batch.get(0).id()), e.getMessage(), Long.valueOf(suppressed)));
            }
            return batch;
        } catch (RuntimeException e) {
            // Not worth retrying forever; each session's next request sends its changes again.
            batch.forEach(w -> StoreWrites.failed(w, e));
            return List.of();
        }
    }

    /**
     * Puts writes back at the head, in their order, each merged with what was queued for its session since; room is
     * taken for those whose session had nothing queued. Lock held.
     */
    private void requeueFirst(List<PendingWrite> writesBack) {
        LinkedHashMap<String, PendingWrite> head = new LinkedHashMap<>();
        int added = 0;
        for (PendingWrite write : writesBack) {
            PendingWrite newer = queue.remove(write.id());
            if (newer == null) {
                added++;
            }
            head.put(write.id(), newer == null ? write : write.then(newer));
        }
        head.putAll(queue);
        queue.clear();
        queue.putAll(head);
        room.force(added);
    }
}
