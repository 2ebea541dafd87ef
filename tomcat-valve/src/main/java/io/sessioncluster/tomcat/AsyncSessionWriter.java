package io.sessioncluster.tomcat;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.StoreException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code writeMode=async}: write-behind through queues bounded together to {@code asyncQueueSize} sessions. The
 * sessions are sharded over {@code asyncWriters} writer threads by a hash of their id ({@link WriteShard}): a session
 * always goes to the same writer, so its writes reach the store in order, and one slow write holds back only its own
 * shard. Changes of a session already queued are merged into its entry (coalescing); a writer takes up to
 * {@code maxBatch} sessions per store round trip ({@link io.sessioncluster.core.store.SessionStore#writeAll}). A
 * batch that finds the store down goes back to the head of its queue and is retried. When the queues are full a
 * request waits for room, at most {@code offerTimeout}; then its changes are given back to the session (its next
 * request queues them again), the drop is logged and counted.
 */
final class AsyncSessionWriter implements SessionWriter {

    private static final Log log = Logs.of(AsyncSessionWriter.class);
    private static final StringManager sm = StringManager.getManager(AsyncSessionWriter.class);
    /** Sessions per {@code writeAll}: enough to pay one round trip for many, small enough to keep a batch short. */
    static final int DEFAULT_MAX_BATCH = 64;

    private final StoreWrites writes;
    private final QueueRoom room;
    private final long offerTimeoutNanos;
    private final RateLimitedLog failures = new RateLimitedLog(10, TimeUnit.SECONDS);
    private final AtomicLong dropped = new AtomicLong();
    private final List<WriteShard> shards;

    AsyncSessionWriter(StoreWrites writes, int capacity, long offerTimeout, TimeUnit unit, String threadName) {
        this(writes, capacity, 1, DEFAULT_MAX_BATCH, offerTimeout, unit, threadName);
    }

    /**
     * @param capacity  sessions all queues may hold together ({@code asyncQueueSize})
     * @param writers   writer threads ({@code asyncWriters})
     * @param maxBatch  sessions one writer sends in one round trip
     */
    AsyncSessionWriter(StoreWrites writes, int capacity, int writers, int maxBatch, long offerTimeout, TimeUnit unit,
                       String threadName) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("writers and maxBatch must be positive, not " + writers + ", " + maxBatch);
        }
        this.writes = writes;
        this.room = new QueueRoom(capacity);
        this.offerTimeoutNanos = unit.toNanos(offerTimeout);
        List<WriteShard> list = new ArrayList<>(writers);
        for (int i = 0; i < writers; i++) {
            list.add(new WriteShard(writes, room, maxBatch, failures, writers == 1 ? threadName : threadName + "-" + i));
        }
        this.shards = List.copyOf(list);
    }

    /** The shard that owns a session: by its base id, so that every write of it goes through one writer. */
    private WriteShard shardOf(String id) {
        return shards.get(shardIndex(id));
    }

    int shardIndex(String id) {
        int h = id.hashCode();
        // Fibonacci hashing: the product's high half depends on every bit of the hash; its low bits would not.
        return Math.floorMod((h ^ (h >>> 16)) * 0x9E3779B9 >>> 16, shards.size());
    }

    @Override
    public boolean submit(PendingWrite write) {
        WriteShard shard = shardOf(write.id());
        long start = System.nanoTime();
        long deadline = start + offerTimeoutNanos;
        boolean waited = false;
        try {
            while (true) {
                switch (shard.offer(write)) {
                    case QUEUED -> {
                        return true;
                    }
                    case CLOSING -> {
                        return writeNow(write);
                    }
                    case FULL -> {
                        waited = true;
                        if (!room.awaitFree(deadline)) {
                            return drop(write);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return drop(write);
        } finally {
            if (waited) {
                writes.counters().queueWaited(System.nanoTime() - start);
            }
        }
    }

    private boolean drop(PendingWrite write) {
        long count = dropped.incrementAndGet();
        writes.counters().queueDropped();
        write.giveBack();
        if (failures.permit("dropped") >= 0) {
            log.warn(sm.getString("manager.asyncDropped", Long.valueOf(TimeUnit.NANOSECONDS.toMillis(offerTimeoutNanos)),
                    SessionIds.redact(write.id()), Long.valueOf(count)));
        }
        return true;
    }

    /** Sessions waiting in the queues of all writers, not counting batches in flight. */
    int queuedSessions() {
        int sum = 0;
        for (WriteShard shard : shards) {
            sum += shard.queuedSessions();
        }
        return sum;
    }

    /** Writes lost to full queues since start, all writers together. */
    long droppedWrites() {
        return dropped.get();
    }

    int writers() {
        return shards.size();
    }

    @Override
    public boolean hasPending(String id) {
        return shardOf(id).hasPending(id);
    }

    @Override
    public void settle(String id, boolean discard) {
        shardOf(id).settle(id, discard);
    }

    @Override
    public void close() {
        long deadline = System.nanoTime() + WriteShard.CLOSE_TIMEOUT_NANOS;
        shards.forEach(s -> s.beginClose(deadline));
        room.close(); // requests waiting for room now write on their own threads
        try {
            for (WriteShard shard : shards) {
                shard.awaitClosed(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
}
