package io.sessioncluster.tomcat;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code writeMode=async}: write-behind through a queue bounded to {@code asyncQueueSize} sessions. Changes of a
 * session already queued are merged into its entry (coalescing), and one writer thread takes entries oldest
 * first, so the writes of one session reach the store in order. A write that finds the store down goes back to the
 * head of the queue and is retried. When the queue is full a request waits for room, at most
 * {@code offerTimeout}; then its changes are given back to the session (its next request queues them again), the
 * drop is logged and counted.
 */
final class AsyncSessionWriter implements SessionWriter {

    private static final Log log = Logs.of(AsyncSessionWriter.class);
    private static final StringManager sm = StringManager.getManager(AsyncSessionWriter.class);
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final StoreWrites writes;
    private final int capacity;
    private final long offerTimeoutNanos;
    private final RateLimitedLog failures = new RateLimitedLog(10, TimeUnit.SECONDS);
    private final AtomicLong dropped = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever the queue or the write in flight changes. */
    private final Condition changed = lock.newCondition();
    /** Signalled only when closing, to cut a retry pause short. */
    private final Condition closingSignal = lock.newCondition();
    /** Session id to its pending write, in the order the sessions were first queued. Guarded by {@link #lock}. */
    private final LinkedHashMap<String, PendingWrite> queue = new LinkedHashMap<>();
    private String inFlight;
    private boolean closing;
    private long closeDeadline;
    private final Thread thread;

    AsyncSessionWriter(StoreWrites writes, int capacity, long offerTimeout, TimeUnit unit, String threadName) {
        this.writes = writes;
        this.capacity = capacity;
        this.offerTimeoutNanos = unit.toNanos(offerTimeout);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        // Not the web application's loader: this thread must not pin it.
        thread.setContextClassLoader(AsyncSessionWriter.class.getClassLoader());
        thread.start();
    }

    @Override
    public boolean submit(PendingWrite write) {
        long nanos = offerTimeoutNanos;
        lock.lock();
        try {
            while (!closing) {
                PendingWrite queued = queue.get(write.id());
                if (queued != null) {
                    queue.put(write.id(), queued.then(write));
                    return true;
                }
                if (queue.size() < capacity) {
                    queue.put(write.id(), write);
                    changed.signalAll();
                    return true;
                }
                if (nanos <= 0) {
                    break;
                }
                nanos = changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (closing) {
            return writeNow(write);
        }
        long count = dropped.incrementAndGet();
        write.giveBack();
        if (failures.permit("dropped") >= 0) {
            log.warn(sm.getString("manager.asyncDropped", Long.valueOf(TimeUnit.NANOSECONDS.toMillis(offerTimeoutNanos)),
                    SessionIds.redact(write.id()), Long.valueOf(count)));
        }
        return true;
    }

    /** Sessions waiting in the queue, not counting a write in flight. */
    int queuedSessions() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Writes lost to a full queue since start. */
    long droppedWrites() {
        return dropped.get();
    }

    @Override
    public boolean hasPending(String id) {
        lock.lock();
        try {
            return id.equals(inFlight) || queue.containsKey(id);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void settle(String id, boolean discard) {
        PendingWrite queued;
        lock.lock();
        try {
            long nanos = CLOSE_TIMEOUT_NANOS;
            while (id.equals(inFlight) && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            queued = queue.remove(id);
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
                requeueFirst(queued);
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            closeDeadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
            changed.signalAll();
            closingSignal.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(CLOSE_TIMEOUT_NANOS) + 2_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            PendingWrite next;
            lock.lock();
            try {
                while (queue.isEmpty() && !closing) {
                    changed.await();
                }
                if (queue.isEmpty()) {
                    return;
                }
                Iterator<Map.Entry<String, PendingWrite>> oldest = queue.entrySet().iterator();
                next = oldest.next().getValue();
                oldest.remove();
                inFlight = next.id();
                changed.signalAll();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }

            boolean done = attempt(next);

            lock.lock();
            try {
                inFlight = null;
                if (!done) {
                    if (closing && System.nanoTime() - closeDeadline > 0) {
                        log.warn(sm.getString("manager.asyncLost", Integer.valueOf(queue.size() + 1)));
                        queue.clear();
                        changed.signalAll();
                        return;
                    }
                    requeueFirst(next);
                }
                changed.signalAll();
                if (!done) {
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

    /** @return false if the store is down and the write must be retried */
    private boolean attempt(PendingWrite write) {
        try {
            writes.write(write);
            return true;
        } catch (StoreUnavailableException e) {
            long suppressed = failures.permit("unavailable");
            if (suppressed >= 0) {
                log.warn(sm.getString("manager.asyncFailed", SessionIds.redact(write.id()), e.getMessage(),
                        Long.valueOf(suppressed)));
            }
            return false;
        } catch (RuntimeException e) {
            // Not worth retrying forever; the session's next request sends its changes again.
            StoreWrites.failed(write, e);
            return true;
        }
    }

    private boolean writeNow(PendingWrite write) {
        try {
            writes.write(write);
            return true;
        } catch (StoreException e) {
            StoreWrites.failed(write, e);
            return false;
        }
    }

    /** Puts a write back at the head, merged with what was queued for the session since. Lock held. */
    private void requeueFirst(PendingWrite write) {
        PendingWrite newer = queue.remove(write.id());
        LinkedHashMap<String, PendingWrite> rest = new LinkedHashMap<>(queue);
        queue.clear();
        queue.put(write.id(), newer == null ? write : write.then(newer));
        queue.putAll(rest);
    }
}
