package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two embedded Tomcat nodes share sessions through each database ({@code store="jdbc"}): changes on one node are seen
 * on the other, an invalidation on one ends the session on both, sessions outlive every node, a damaged attribute row
 * costs only that attribute, and a node finds its database through a JNDI {@code DataSource}.
 */
class JdbcClusterIT {

    @RegisterExtension
    final JdbcCluster cluster = new JdbcCluster();

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "h2"})
    void twoNodesShareSessionsAndSessionsOutliveEveryNode(String database) throws Exception {
        JdbcCluster.Db db = JdbcCluster.Db.named(database);
        TestNode a = cluster.node(db, "nodeA", "sticky", "false");
        TestNode b = cluster.node(db, "nodeB", "sticky", "false");
        Browser browser = new Browser();

        assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        String id = browser.cookie();
        assertThat(browser.callAs(id, b, "get", "name", "user").body()).isEqualTo("alice");
        assertThat(browser.call(b, "append", "name", "cart", "value", "apple").body()).isEqualTo("[apple]");
        assertThat(browser.call(a, "append", "name", "cart", "value", "pear").body()).isEqualTo("[apple, pear]");
        assertThat(browser.call(b, "names").body()).isEqualTo("[cart, user]");

        // Every node restarts: the session is still there.
        cluster.stop(a);
        cluster.stop(b);
        TestNode c = cluster.node(db, "nodeC", "sticky", "false");
        assertThat(browser.call(c, "get", "name", "cart").body()).isEqualTo("[apple, pear]");
        assertThat(browser.cookie()).isEqualTo(SessionIds.baseId(id) + ".nodeC");

        // Invalidated on one node, gone on the other (sticky: it learns through the eviction log).
        TestNode d = cluster.node(db, "nodeD");
        assertThat(browser.call(d, "get", "name", "user").body()).isEqualTo("alice");
        String onD = browser.cookie();
        assertThat(browser.call(c, "invalidate").status()).isEqualTo(200);
        Await.served(Duration.ofSeconds(10), () -> browser.callAs(onD, d, "get", "name", "user"),
                r -> r.body().equals("no-session"), "the invalidated session gone on node D");
    }

    @Test
    void garbageBytesInOneAttributeRowDropThatAttributeOnly() throws Exception {
        JdbcCluster.Db db = JdbcCluster.Db.named("postgresql");
        TestNode a = cluster.node(db, "nodeA");
        TestNode b = cluster.node(db, "nodeB");
        Browser browser = new Browser();
        browser.call(a, "set", "name", "good", "value", "kept");
        browser.call(a, "set", "name", "bad", "value", "soon garbage");
        String id = browser.cookie();
        cluster.corruptAttribute(db, SessionIds.baseId(id), "bad",
                "\u0000\u0001not an encoded value at all".getBytes(StandardCharsets.ISO_8859_1));

        // B takes the session over (failover) and loads it from the database.
        assertThat(browser.call(b, "names").body()).isEqualTo("[good]");
        assertThat(browser.call(b, "get", "name", "good").body()).isEqualTo("kept");
        assertThat(browser.call(b, "set", "name", "more", "value", "1").status()).isEqualTo(200);
        assertThat(browser.call(b, "names").body()).isEqualTo("[good, more]");
    }

    @Test
    void aNodeFindsItsDatabaseThroughAJndiDataSource() throws Exception {
        JdbcCluster.Db db = JdbcCluster.Db.named("postgresql");
        TestNode jndi = cluster.jndiNode(db, "nodeJ");
        TestNode b = cluster.node(db, "nodeB");

        Browser browser = new Browser();
        assertThat(browser.call(jndi, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        assertThat(browser.cookie()).endsWith(".nodeJ");
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("alice");
        browser.call(b, "set", "name", "user", "value", "bob");
        assertThat(browser.call(jndi, "get", "name", "user").body()).isEqualTo("bob");
    }

    @Test
    void aDataSourceNameThatIsNotBoundStopsTheStart() {
        TestNode node = cluster.jndiNode(JdbcCluster.Db.named("h2"), "nodeJ", "jdbc/misspelled");
        assertThat(node.isAvailable()).isFalse();
    }
}
