package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.testkit.SessionStoreContract;

/** The shared {@link SessionStoreContract} with {@code replication=all}: each "node" is a JGroups member. */
class JGroupsAllContractIT extends SessionStoreContract {

    private String cluster;

    @Override
    protected SessionStore openStore() {
        return JGroupsTestNodes.open(cluster, "replication", "all");
    }

    @Override
    protected void clearBackend() {
        cluster = JGroupsTestNodes.freshClusterName("all");
    }
}
