package io.sessioncluster.tomcat;

import org.apache.catalina.Context;
import org.junit.jupiter.api.AfterEach;

import java.util.function.Consumer;

/** {@link LoginScenarios} on JGroups ({@code replication="all"}), the node taken away by a crash. */
class JGroupsLoginIT extends LoginScenarios {

    private final String clusterName = JGroupsNodes.freshCluster();
    private final Started started = new Started();

    @Override
    TestNode node(String name, Consumer<Context> app, String... settings) {
        return started.keep(TestNode.named(name).settings(JGroupsNodes.settings(clusterName, settings))
                .configure(app).start());
    }

    @Override
    void kill(TestNode node) throws Exception {
        started.forget(node);
        JGroupsNodes.crash(node);
    }

    @AfterEach
    void closeNodes() throws Exception {
        started.closeAll();
    }
}
