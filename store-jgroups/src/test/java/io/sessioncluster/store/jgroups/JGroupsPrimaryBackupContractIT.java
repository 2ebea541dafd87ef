package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.testkit.SessionStoreContract;

/** The shared {@link SessionStoreContract} with {@code replication=primary-backup}: each "node" is a JGroups member. */
class JGroupsPrimaryBackupContractIT extends SessionStoreContract {

    private String cluster;

    @Override
    protected SessionStore openStore() {
        return JGroupsTestNodes.open(cluster, "replication", "primary-backup", "backups", "1");
    }

    @Override
    protected void clearBackend() {
        cluster = JGroupsTestNodes.freshClusterName("pb");
    }
}
