package io.sessioncluster.tomcat;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The counters behind {@link ManagerStatistics}: cheap to bump from request and writer threads. */
final class StatisticsCounters {

    private static final IntSupplier NO_QUEUE = () -> 0;

    private final LongAdder writes = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final LongAdder writeFailures = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private final LongAdder lockWaits = new LongAdder();
    private final LongAdder lockWaitNanos = new LongAdder();
    private final LongAdder lockTimeouts = new LongAdder();
    private final LongAdder locksLost = new LongAdder();
    private final LongAdder queueWaits = new LongAdder();
    private final LongAdder queueWaitNanos = new LongAdder();
    private final LongAdder queueDrops = new LongAdder();
    private final LongAdder readUnavailable = new LongAdder();
    private final LongAdder writeUnavailable = new LongAdder();
    /** The store calls, measured by {@link MeasuredStore}. */
    final StoreMeters store;
    /** The write-behind queues' current depth while an async writer runs. */
    private volatile IntSupplier queueDepth = NO_QUEUE;

    StatisticsCounters() {
        this(new StoreMeters());
    }

    StatisticsCounters(StoreMeters store) {
        this.store = store;
    }

    void written(long attributeBytes, long nanos) {
        writes.increment();
        bytes.add(attributeBytes);
        writeNanos.add(nanos);
    }

    void writeFailed(long nanos) {
        writeFailures.increment();
        writeNanos.add(nanos);
    }

    void failover() {
        failovers.increment();
    }

    /** A request waited for another node's lock and got it. */
    void lockWaited(long nanos) {
        lockWaits.increment();
        lockWaitNanos.add(nanos);
    }

    /** A request waited {@code lockWaitMillis} for another node's lock in vain (answered 503). */
    void lockTimedOut(long nanos) {
        lockTimeouts.increment();
        lockWaitNanos.add(nanos);
    }

    /** A lock of this node was taken by another after its lease ran out (found on renewal or on a fenced write). */
    void lockLost() {
        locksLost.increment();
    }

    /** A request found the write-behind queues full and waited {@code nanos} for room (or in vain). */
    void queueWaited(long nanos) {
        queueWaits.increment();
        queueWaitNanos.add(nanos);
    }

    /** A write given back to its session: the write-behind queues stayed full. */
    void queueDropped() {
        queueDrops.increment();
    }

    /** The valve answered 503 before the application ran (store unavailable, lock not released in time). */
    void readUnavailable() {
        readUnavailable.increment();
    }

    /** The valve answered 503 after the application ran: the request's changes could not be written. */
    void writeUnavailable() {
        writeUnavailable.increment();
    }

    /** The async writer that runs now ({@code null}: none). */
    void queue(IntSupplier depth) {
        queueDepth = depth == null ? NO_QUEUE : depth;
    }

    ManagerStatistics snapshot(long activeSessions) {
        StoreAvailability.State state = store.availability.state();
        return new ManagerStatistics(activeSessions, writes.sum(), bytes.sum(), writeNanos.sum(),
                writeFailures.sum(), failovers.sum(), lockWaits.sum(), lockWaitNanos.sum(), lockTimeouts.sum(),
                locksLost.sum(), store.statistics(), store.bytesRead(), store.evictionsReceived(),
                store.evictionGaps(), queueDepth.getAsInt(), queueWaits.sum(), queueWaitNanos.sum(), queueDrops.sum(),
                readUnavailable.sum(), writeUnavailable.sum(), state.available(), state.sinceMillis(),
                state.outages());
    }
}
