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
    private final long created = System.currentTimeMillis();

    void add(ClusteredSessionManager manager) {
        managers.add(manager);
    }

    /** The installed managers, in the order they were created. */
    public List<ClusteredSessionManager> all() {
        return List.copyOf(managers);
    }

    /**
     * The statistics of every installed manager added up ({@link ManagerStatistics#plus}: with several contexts, a
     * latency percentile is the highest of theirs).
     */
    public ManagerStatistics total() {
        ManagerStatistics total = null;
        for (ClusteredSessionManager manager : managers) {
            ManagerStatistics s = manager.getStatistics();
            total = total == null ? s : total.plus(s);
        }
        return total != null ? total : ManagerStatistics.none(created);
    }
}
