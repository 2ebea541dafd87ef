package io.sessioncluster.tomcat;

import org.apache.catalina.Context;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.function.Consumer;

/** {@link LoginScenarios} on PostgreSQL. */
class JdbcLoginIT extends LoginScenarios {

    private static final JdbcCluster.Db DB = JdbcCluster.Db.named("postgresql");

    @RegisterExtension
    final JdbcCluster cluster = new JdbcCluster();

    @Override
    TestNode node(String name, Consumer<Context> app, String... settings) {
        return cluster.start(DB, TestNode.named(name).settings(cluster.settings(DB, settings)).configure(app));
    }

    @Override
    void kill(TestNode node) throws Exception {
        cluster.stop(node);
    }
}
