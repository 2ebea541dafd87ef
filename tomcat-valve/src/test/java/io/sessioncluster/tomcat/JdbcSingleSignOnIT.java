package io.sessioncluster.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/** {@link SingleSignOnExpiryScenarios} on PostgreSQL: entries, and each application's sessions, in tables of their own. */
class JdbcSingleSignOnIT extends SingleSignOnExpiryScenarios {

    private static final JdbcCluster.Db DB = JdbcCluster.Db.named("postgresql");

    @RegisterExtension
    final JdbcCluster cluster = new JdbcCluster();

    @Override
    Map<String, String> appSettings(String app) {
        return cluster.settings(DB, "tableName", cluster.tableName(app));
    }

    @Override
    TestNode node(String name) {
        return cluster.start(DB, TestNode.named(name).settings(cluster.settings(DB))
                .context("/app1", appSettings("app1"), app())
                .context("/app2", appSettings("app2"), app())
                .hostValve(RedisSingleSignOnIT.valve(appSettings("sso"))));
    }
}
