package io.sessioncluster.tomcat;

/**
 * A read-only snapshot of what one {@link ClusteredSessionManager} has done since it was created, for monitoring
 * (the Spring Boot starter exposes it through Micrometer). Counters only grow; they survive a restart of the context.
 *
 * @param activeSessions  sessions this node holds a local copy of right now
 * @param writes          change sets the store accepted (both write modes)
 * @param bytesWritten    encoded attribute bytes of those change sets
 * @param writeNanos      time spent in store writes, accepted or failed, in nanoseconds (a write-behind batch's time
 *                        shared among its sessions)
 * @param writeFailures   store writes that failed (an async write retried counts once per attempt)
 * @param failovers       requests whose session this node took over from another node (its route changed)
 * @param lockWaits       requests that waited for another node to release their session's lock, and got it
 * @param lockWaitNanos   time requests spent waiting for locks held elsewhere, timed-out waits included
 * @param lockTimeouts    requests answered 503 because the lock was not released within {@code lockWaitMillis}
 * @param locksLost       locks of this node that another node took after their lease ran out
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
        long locksLost) {
}
