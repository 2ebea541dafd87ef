package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.config.Setting;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    @Override
    public List<String> problems(Settings settings) {
        return combinationProblems(settings);
    }

    /** Checks what no single setting can check alone; throws them all at once. */
    static void checkCombination(Settings settings) {
        List<String> problems = combinationProblems(settings);
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid settings of store [jgroups]", problems);
        }
    }

    static List<String> combinationProblems(Settings settings) {
        List<String> problems = new ArrayList<>();
        boolean custom = settings.get(JGroupsSettings.CONFIG).isPresent();
        StackType stack = settings.get(JGroupsSettings.STACK);
        if (!custom && (stack == StackType.TCP || stack == StackType.DNS) && settings.get(JGroupsSettings.BIND_PORT) == 0) {
            problems.add(stack == StackType.TCP
                    ? "jgroupsBindPort [0]: the tcp stack needs a known port, which jgroupsInitialHosts names"
                    : "jgroupsBindPort [0]: the dns stack needs a known port, which members probe on every address"
                    + " jgroupsDnsQuery lists");
        }
        if (!custom && stack == StackType.DNS && settings.get(JGroupsSettings.DNS_QUERY).isEmpty()) {
            problems.add("jgroupsDnsQuery: required with jgroupsStack [dns]; allowed are "
                    + JGroupsSettings.DNS_QUERY.allowed().replace("empty, or ", ""));
        }
        if (!custom && stack == StackType.JDBC && settings.get(JGroupsSettings.JDBC_URL).isEmpty()) {
            problems.add("jgroupsJdbcUrl: required with jgroupsStack [jdbc]; allowed are "
                    + JGroupsSettings.JDBC_URL.allowed().replace("empty, or ", ""));
        }
        // A discovery setting the chosen stack ignores is a mistake (most often a forgotten jgroupsStack): a node
        // would silently look for members elsewhere and start a cluster alone.
        String chosen = custom ? "jgroupsConfig" : "jgroupsStack [" + stack.name().toLowerCase(Locale.ROOT) + "]";
        unused(problems, settings, custom || stack != StackType.DNS, chosen, StackType.DNS,
                JGroupsSettings.DNS_QUERY, JGroupsSettings.DNS_ADDRESS);
        unused(problems, settings, custom || stack != StackType.JDBC, chosen, StackType.JDBC,
                JGroupsSettings.JDBC_URL, JGroupsSettings.JDBC_USER, JGroupsSettings.JDBC_PASSWORD);
        if (custom && !settings.get(JGroupsSettings.SECRET).isEmpty()) {
            problems.add("jgroupsSecret [****]: not used with jgroupsConfig; configure SYM_ENCRYPT in that stack file");
        }
        return problems;
    }

    @SafeVarargs
    private static void unused(List<String> problems, Settings settings, boolean ignored, String chosen, StackType owner,
                               Setting<String>... owned) {
        if (!ignored) {
            return;
        }
        for (Setting<String> setting : owned) {
            String value = settings.get(setting);
            if (!value.isEmpty()) {
                problems.add(setting.name() + " [" + setting.shown(value) + "]: used only with jgroupsStack ["
                        + owner.name().toLowerCase(Locale.ROOT) + "], not with " + chosen);
            }
        }
    }
}
