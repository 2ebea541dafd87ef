package io.sessioncluster.tomcat;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link ManagerStatistics}: cheap to bump from request and writer threads. */
final class StatisticsCounters {

    private final LongAdder writes = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final LongAdder writeFailures = new LongAdder();
    private final LongAdder failovers = new LongAdder();

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

    ManagerStatistics snapshot(long activeSessions) {
        return new ManagerStatistics(activeSessions, writes.sum(), bytes.sum(), writeNanos.sum(),
                writeFailures.sum(), failovers.sum());
    }
}
