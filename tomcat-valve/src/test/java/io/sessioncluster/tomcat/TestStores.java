package io.sessioncluster.tomcat;

import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;
import io.sessioncluster.core.store.SessionStores;

import java.util.Map;

/** A store opened as a node's manager would open it, for a test that plays another node (one that dies, say). */
final class TestStores {

    private TestStores() {
    }

    /** Opens the store the manager settings {@code settings} select; the caller closes it. */
    static SessionStore open(Map<String, String> settings) {
        Map<String, SessionStoreProvider> providers = SessionStores.discover(TestStores.class.getClassLoader());
        ClusterConfig config = ClusterConfig.parse(settings, providers);
        return providers.get(config.store()).open(config.storeSettings(), "/another-node");
    }
}
