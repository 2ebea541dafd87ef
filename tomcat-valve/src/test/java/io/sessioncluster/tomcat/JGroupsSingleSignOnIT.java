package io.sessioncluster.tomcat;

import org.junit.jupiter.api.AfterEach;

import java.util.Map;

/** {@link SingleSignOnScenarios} on JGroups: the entries, and each application's sessions, in clusters of their own. */
class JGroupsSingleSignOnIT extends SingleSignOnScenarios {

    private final String clusterName = JGroupsNodes.freshCluster();
    private final Started started = new Started();

    @Override
    Map<String, String> appSettings(String app) {
        return JGroupsNodes.settings(clusterName + "-" + app);
    }

    @Override
    TestNode node(String name) {
        return started.keep(TestNode.named(name).settings(JGroupsNodes.settings(clusterName))
                .context("/app1", appSettings("app1"), app())
                .context("/app2", appSettings("app2"), app())
                .hostValve(RedisSingleSignOnIT.valve(appSettings("sso")))
                .start());
    }

    @AfterEach
    void closeNodes() throws Exception {
        started.closeAll();
    }
}
