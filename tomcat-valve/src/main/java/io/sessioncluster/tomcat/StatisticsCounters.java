package io.sessioncluster.tomcat;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link ManagerStatistics}: cheap to bump from request and writer threads. */
final class StatisticsCounters {

    private final LongAdder writes = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final LongAdder writeFailures = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private final LongAdder lockWaits = new LongAdder();
    private final LongAdder lockWaitNanos = new LongAdder();
    private final LongAdder lockTimeouts = new LongAdder();
    private final LongAdder locksLost = new LongAdder();

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

    ManagerStatistics snapshot(long activeSessions) {
        return new ManagerStatistics(activeSessions, writes.sum(), bytes.sum(), writeNanos.sum(),
                writeFailures.sum(), failovers.sum(), lockWaits.sum(), lockWaitNanos.sum(), lockTimeouts.sum(),
                locksLost.sum());
    }
}
