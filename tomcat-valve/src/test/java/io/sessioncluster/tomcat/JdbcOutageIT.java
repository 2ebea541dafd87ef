package io.sessioncluster.tomcat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL going away behind a TCP proxy (the server keeps running): a node starts anyway and answers 503 with
 * Retry-After, never a hang or a 500; when the database is back the pool recovers and requests resume with nothing
 * acknowledged lost.
 */
class JdbcOutageIT {

    @RegisterExtension
    final JdbcCluster cluster = new JdbcCluster();
    private final JdbcCluster.Db db = JdbcCluster.Db.named("postgresql");

    /** A proxy in front of the database, and a node that reaches the database only through it. */
    private TestNode nodeVia(TcpProxy proxy, String name) {
        int port = URI.create(proxy.uri()).getPort();
        String url = db.url().replaceFirst("//[^:/?]+:\\d+", "//127.0.0.1:" + port);
        return cluster.node(db, name, "jdbcUrl", url, "jdbcTimeoutMillis", "500");
    }

    private TcpProxy proxy() {
        URI target = URI.create(db.url().substring("jdbc:".length()));
        // TcpProxy forwards plain TCP; it only reads host and port from the URI it is given
        return new TcpProxy("redis://" + target.getHost() + ":" + target.getPort());
    }

    @Test
    void nodeStartsWhileTheDatabaseIsDownAnswers503ThenRecovers() throws Exception {
        cluster.stop(cluster.node(db, "setup")); // the tables exist before the outage
        try (TcpProxy proxy = proxy()) {
            proxy.down();
            TestNode a = nodeVia(proxy, "nodeA");
            assertThat(a.isAvailable()).isTrue();

            Browser.Reply down = new Browser().call(a, "set", "name", "user", "value", "alice");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.retryAfter()).contains(SessionClusterValve.RETRY_AFTER_SECONDS);

            proxy.up();
            Browser browser = new Browser();
            assertThat(Await.recovery(Duration.ofSeconds(15),
                    () -> browser.call(a, "set", "name", "user", "value", "alice"), "the node to recover")
                    .refused()).as("503s while the pool reconnected").isLessThan(100);
            assertThat(browser.call(a, "get", "name", "user").body()).isEqualTo("alice");
        }
    }

    @Test
    void databaseLostMidSessionGives503AndLosesNothingAcknowledged() throws Exception {
        try (TcpProxy proxy = proxy()) {
            TestNode a = nodeVia(proxy, "nodeA");
            TestNode b = cluster.node(db, "nodeB");
            Browser browser = new Browser();
            assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
            String id = browser.cookie();

            proxy.down();
            Browser.Reply failed = browser.call(a, "set", "name", "cart", "value", "3 items");
            assertThat(failed.status()).isEqualTo(503);
            assertThat(failed.retryAfter()).contains(SessionClusterValve.RETRY_AFTER_SECONDS);

            proxy.up();
            assertThat(Await.recovery(Duration.ofSeconds(15),
                    () -> browser.callAs(id, a, "set", "name", "cart", "value", "3 items"), "node A to write again")
                    .refused()).as("503s while the pool reconnected").isLessThan(100);
            browser.cookie(id);
            assertThat(browser.call(b, "names").body()).isEqualTo("[cart, user]");
        }
    }
}
