package io.sessioncluster.spring.boot;

import io.sessioncluster.tomcat.ClusteredSessionManager;
import io.sessioncluster.tomcat.ManagerStatistics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The managers the starter installed (one per embedded Tomcat context, so normally one), for the health indicator
 * and the metrics. Managers are created when the web server is, which may be after these beans are.
 */
public final class SessionClusterManagers {

    private final List<ClusteredSessionManager> managers = new CopyOnWriteArrayList<>();

    void add(ClusteredSessionManager manager) {
        managers.add(manager);
    }

    /** The installed managers, in the order they were created. */
    public List<ClusteredSessionManager> all() {
        return List.copyOf(managers);
    }

    /** The statistics of every installed manager added up. */
    public ManagerStatistics total() {
        long active = 0, writes = 0, bytes = 0, nanos = 0, failures = 0, failovers = 0;
        long lockWaits = 0, lockWaitNanos = 0, lockTimeouts = 0, locksLost = 0;
        for (ClusteredSessionManager manager : managers) {
            ManagerStatistics s = manager.getStatistics();
            active += s.activeSessions();
            writes += s.writes();
            bytes += s.bytesWritten();
            nanos += s.writeNanos();
            failures += s.writeFailures();
            failovers += s.failovers();
            lockWaits += s.lockWaits();
            lockWaitNanos += s.lockWaitNanos();
            lockTimeouts += s.lockTimeouts();
            locksLost += s.locksLost();
        }
        return new ManagerStatistics(active, writes, bytes, nanos, failures, failovers, lockWaits, lockWaitNanos,
                lockTimeouts, locksLost);
    }
}
