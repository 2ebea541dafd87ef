package io.sessioncluster.examples.boot;

import java.util.UUID;

/** Two instances sharing sessions through JGroups over loopback, no server needed. */
class TwoInstancesJGroupsIT extends SharedSessionsContract {

    private final String cluster = "boot-it-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    Instance startInstance(String name) {
        return Instance.start(name, "--session-cluster.store=jgroups",
                "--session-cluster.settings.cluster-name=" + cluster,
                "--session-cluster.settings.replication=all", NON_STICKY);
    }
}
