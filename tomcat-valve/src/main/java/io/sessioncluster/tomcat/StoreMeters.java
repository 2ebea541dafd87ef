package io.sessioncluster.tomcat;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the manager's store calls have done since the manager was created: one {@link OperationMeter} per
 * {@link StoreOperation}, the bytes read, the evictions other nodes sent, and whether the store answers. It outlives
 * a restart of the context, as the other counters do.
 */
final class StoreMeters {

    private final OperationMeter[] meters = new OperationMeter[StoreOperation.values().length];
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder evictionsReceived = new LongAdder();
    private final LongAdder evictionGaps = new LongAdder();
    private final LongSupplier nanoClock;
    final StoreAvailability availability;

    StoreMeters() {
        this(System::nanoTime, System::currentTimeMillis);
    }

    StoreMeters(LongSupplier nanoClock, LongSupplier wallClock) {
        this.nanoClock = nanoClock;
        for (StoreOperation operation : StoreOperation.values()) {
            meters[operation.ordinal()] = new OperationMeter(nanoClock);
        }
        this.availability = new StoreAvailability(wallClock);
    }

    /** The clock calls are timed with: {@link System#nanoTime()} but in tests. */
    long now() {
        return nanoClock.getAsLong();
    }

    OperationMeter of(StoreOperation operation) {
        return meters[operation.ordinal()];
    }

    void read(long attributeBytes) {
        bytesRead.add(attributeBytes);
    }

    /** Another node told this one to drop its copy of a session. */
    void evictionReceived() {
        evictionsReceived.increment();
    }

    /** The store said evictions may have been lost (its channel was down): every local copy was marked stale. */
    void evictionGap() {
        evictionGaps.increment();
    }

    long bytesRead() {
        return bytesRead.sum();
    }

    long evictionsReceived() {
        return evictionsReceived.sum();
    }

    long evictionGaps() {
        return evictionGaps.sum();
    }

    /** Keeps the latency windows moving while no one reads them: the flusher calls it every second. */
    void tick() {
        for (OperationMeter meter : meters) {
            meter.tick();
        }
    }

    Map<StoreOperation, OperationStatistics> statistics() {
        Map<StoreOperation, OperationStatistics> all = new EnumMap<>(StoreOperation.class);
        for (StoreOperation operation : StoreOperation.values()) {
            all.put(operation, meters[operation.ordinal()].statistics());
        }
        return all;
    }
}
