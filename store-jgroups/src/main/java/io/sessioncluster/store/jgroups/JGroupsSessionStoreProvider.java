package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.config.Setting;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * Provides the JGroups store, selected with {@code store="jgroups"}. Opening joins the cluster and waits until
 * this node received its state, so the first request never sees an empty store.
 */
public final class JGroupsSessionStoreProvider implements SessionStoreProvider {

    public static final String NAME = "jgroups";
    private static final System.Logger LOG = Loggers.of(JGroupsSessionStoreProvider.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Setting<?>> settings() {
        return JGroupsSettings.ALL;
    }

    @Override
    public SessionStore open(Settings settings, String contextName) {
        checkCombination(settings);
        String clusterName = settings.get(JGroupsSettings.CLUSTER_NAME_SETTING);
        if (clusterName.isEmpty()) {
            clusterName = "session-cluster:" + (contextName == null || contextName.isEmpty() ? "/" : contextName);
        }
        JGroupsStack stack = JGroupsStack.from(settings);
        if (stack.config().isEmpty() && stack.bindAddress().isLoopbackAddress()) {
            LOG.log(System.Logger.Level.INFO, "{0}: jgroupsBindAddress is {1}: only nodes on this host can join cluster"
                    + " [{2}]; set it to an address the other hosts reach for a multi-host cluster", contextName,
                    stack.bindAddress().getHostAddress(), clusterName);
        }
        return new JGroupsSessionStore(stack::channel, clusterName, settings.get(JGroupsSettings.REPLICATION),
                settings.get(JGroupsSettings.BACKUPS), settings.get(JGroupsSettings.TIMEOUT_MILLIS),
                settings.get(JGroupsSettings.TOMBSTONE_SECONDS) * 1000L, settings.get(JGroupsSettings.MAX_MESSAGE_BYTES),
                contextName, System::currentTimeMillis).start();
    }

    /** Checks what no single setting can check alone. */
    static void checkCombination(Settings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.get(JGroupsSettings.STACK) == StackType.TCP && settings.get(JGroupsSettings.BIND_PORT) == 0) {
            problems.add("jgroupsBindPort [0]: the tcp stack needs a known port, which jgroupsInitialHosts names");
        }
        if (settings.get(JGroupsSettings.CONFIG).isPresent() && !settings.get(JGroupsSettings.SECRET).isEmpty()) {
            problems.add("jgroupsSecret [****]: not used with jgroupsConfig; configure SYM_ENCRYPT in that stack file");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid settings of store [jgroups]", problems);
        }
    }
}
