package io.sessioncluster.tomcat;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A read-only snapshot of what one {@link ClusteredSessionManager} has done since it was created, for monitoring:
 * the Spring Boot starter exposes it through Micrometer, the manager's MBean through JMX (see
 * {@code docs/monitoring.md}). Counters only grow; they survive a restart of the context.
 *
 * @param activeSessions          sessions this node holds a local copy of right now
 * @param writes                  change sets the store accepted (both write modes)
 * @param bytesWritten            encoded attribute bytes of those change sets
 * @param writeNanos              time spent in store writes, accepted or failed, in nanoseconds (a write-behind
 *                                batch's time shared among its sessions)
 * @param writeFailures           change sets the store did not take (an async write retried counts once per attempt)
 * @param failovers               requests whose session this node took over from another node (its route changed)
 * @param lockWaits               requests that waited for another node to release their session's lock, and got it
 * @param lockWaitNanos           time requests spent waiting for locks held elsewhere, timed-out waits included
 * @param lockTimeouts            requests answered 503 because the lock was not released within
 *                                {@code lockWaitMillis}
 * @param locksLost               locks of this node that another node took after their lease ran out
 * @param operations              every kind of store call: counts, failures, time and recent latency percentiles
 * @param bytesRead               encoded attribute bytes of the records read from the store (loads, expiry claims)
 * @param evictionsReceived       notices from other nodes to drop a local copy (they took the session over)
 * @param evictionGaps            times the store said such notices may have been lost (all copies marked stale)
 * @param asyncQueueDepth         sessions waiting in the write-behind queues right now ({@code writeMode=async})
 * @param asyncQueueWaits         requests that found the write-behind queues full and waited for room
 * @param asyncQueueWaitNanos     time those requests waited, in nanoseconds
 * @param asyncWritesDropped      writes given back to their session because the queues stayed full
 * @param readUnavailableResponses  requests answered 503 before the application ran: the store was unavailable or
 *                                the session's lock was not released in time
 * @param writeUnavailableResponses requests answered 503 after the application ran: their changes could not be written
 * @param storeAvailable          whether the store answered the last call (a failed open at start counts as a call)
 * @param storeStateSinceMillis   when {@code storeAvailable} last changed (or the manager was created), epoch ms
 * @param storeOutages            times the store went from available to unavailable
 */
public record ManagerStatistics(
        long activeSessions,
        long writes,
        long bytesWritten,
        long writeNanos,
        long writeFailures,
        long failovers,
        long lockWaits,
        long lockWaitNanos,
        long lockTimeouts,
        long locksLost,
        Map<StoreOperation, OperationStatistics> operations,
        long bytesRead,
        long evictionsReceived,
        long evictionGaps,
        long asyncQueueDepth,
        long asyncQueueWaits,
        long asyncQueueWaitNanos,
        long asyncWritesDropped,
        long readUnavailableResponses,
        long writeUnavailableResponses,
        boolean storeAvailable,
        long storeStateSinceMillis,
        long storeOutages) {

    /** Every operation is present: one measured nothing has {@link OperationStatistics#NONE}. */
    public ManagerStatistics {
        Map<StoreOperation, OperationStatistics> all = new EnumMap<>(StoreOperation.class);
        for (StoreOperation operation : StoreOperation.values()) {
            all.put(operation, OperationStatistics.NONE);
        }
        if (operations != null) {
            all.putAll(operations);
        }
        operations = Collections.unmodifiableMap(all);
    }

    /** Nothing measured, the store available since {@code sinceMillis}: the start of a sum. */
    public static ManagerStatistics none(long sinceMillis) {
        return new ManagerStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, true,
                sinceMillis, 0);
    }

    /** One kind of store call's figures. */
    public OperationStatistics operation(StoreOperation operation) {
        return operations.get(operation);
    }

    /** {@link #storeStateSinceMillis} as an instant. */
    public Instant storeStateSince() {
        return Instant.ofEpochMilli(storeStateSinceMillis);
    }

    /**
     * Two managers' figures together (several contexts of one application): counts add up, percentiles keep the
     * higher ({@link OperationStatistics#plus}). The store is available only if it is for both; the time is that of
     * the state reported: the later "up since" when both are up, else the earlier "down since".
     */
    public ManagerStatistics plus(ManagerStatistics o) {
        Map<StoreOperation, OperationStatistics> sum = new EnumMap<>(StoreOperation.class);
        for (StoreOperation operation : StoreOperation.values()) {
            sum.put(operation, operation(operation).plus(o.operation(operation)));
        }
        boolean available = storeAvailable && o.storeAvailable;
        long since;
        if (available) {
            since = Math.max(storeStateSinceMillis, o.storeStateSinceMillis);
        } else if (!storeAvailable && !o.storeAvailable) {
            since = Math.min(storeStateSinceMillis, o.storeStateSinceMillis);
        } else {
            since = storeAvailable ? o.storeStateSinceMillis : storeStateSinceMillis;
        }
        return new ManagerStatistics(activeSessions + o.activeSessions, writes + o.writes,
                bytesWritten + o.bytesWritten, writeNanos + o.writeNanos, writeFailures + o.writeFailures,
                failovers + o.failovers, lockWaits + o.lockWaits, lockWaitNanos + o.lockWaitNanos,
                lockTimeouts + o.lockTimeouts, locksLost + o.locksLost, sum, bytesRead + o.bytesRead,
                evictionsReceived + o.evictionsReceived, evictionGaps + o.evictionGaps,
                asyncQueueDepth + o.asyncQueueDepth, asyncQueueWaits + o.asyncQueueWaits,
                asyncQueueWaitNanos + o.asyncQueueWaitNanos, asyncWritesDropped + o.asyncWritesDropped,
                readUnavailableResponses + o.readUnavailableResponses,
                writeUnavailableResponses + o.writeUnavailableResponses, available, since,
                storeOutages + o.storeOutages);
    }
}
