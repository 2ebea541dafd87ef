package io.sessioncluster.tomcat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis going away: the node starts anyway and answers 503 with Retry-After (never a hang, never a 500), keeps
 * unwritten changes, and recovers when Redis is back.
 */
class StoreOutageIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();
    private final RedisFixture redis = cluster.redis();

    @Test
    void nodeStartsWhileRedisIsDownAndAnswers503UntilItIsBack() {
        TcpProxy proxy = cluster.keep(new TcpProxy(redis.uri));
        proxy.down();
        TestNode a = cluster.nodeVia(proxy, "nodeA");
        assertThat(a.isAvailable()).isTrue();

        Browser browser = new Browser();
        long started = System.nanoTime();
        Browser.Reply down = browser.call(a, "set", "name", "user", "value", "alice");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.retryAfter()).contains(SessionClusterValve.RETRY_AFTER_SECONDS);
        assertThat(down.setCookie()).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        proxy.up();
        Await.Recovery recovery = Await.recovery(Duration.ofSeconds(15),
                () -> new Browser().call(a, "set", "name", "user", "value", "alice"), "the node to recover");
        assertThat(recovery.refused()).as("503s while the store reconnected").isLessThan(100);
        Browser.Reply up = recovery.served();
        browser.cookie(up.setCookie());
        assertThat(browser.call(a, "get", "name", "user").body()).isEqualTo("alice");
    }

    @Test
    void redisLostMidSessionGives503AndLosesNothingAcknowledged() {
        TcpProxy proxy = cluster.keep(new TcpProxy(redis.uri));
        TestNode a = cluster.nodeVia(proxy, "nodeA");
        TestNode b = cluster.node("nodeB");
        Browser browser = new Browser();
        assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        String id = browser.cookie();

        proxy.down();
        Browser.Reply failed = browser.call(a, "set", "name", "cart", "value", "3 items");
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.retryAfter()).contains(SessionClusterValve.RETRY_AFTER_SECONDS);
        // A request that needs the store up front (a changed id) is refused before the application runs.
        Browser other = new Browser();
        other.cookie(id.replace(".nodeA", ".nodeB"));
        assertThat(other.call(a, "get", "name", "user").status()).isEqualTo(503);

        proxy.up();
        assertThat(Await.recovery(Duration.ofSeconds(15),
                () -> browser.callAs(id, a, "set", "name", "cart", "value", "3 items"), "node A to write again")
                .refused()).as("503s while the store reconnected").isLessThan(100);
        // What the client saw acknowledged is there, and so is the retried change.
        browser.cookie(id);
        assertThat(browser.call(b, "names").body()).isEqualTo("[cart, user]");
    }

    @Test
    void aResponseTheApplicationFlushedWaitsForTheWriteAndBecomes503WhenItFails() {
        TcpProxy proxy = cluster.keep(new TcpProxy(redis.uri));
        TestNode a = cluster.nodeVia(proxy, "nodeA");
        Browser browser = new Browser();
        Browser.Reply stored = browser.call(a, "set", "name", "user", "value", "alice", "flush", "true");
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.body()).isEqualTo("ok");

        proxy.down();
        // The servlet declared its length and flushed; the client still gets the write's outcome, not a 200.
        assertThat(browser.call(a, "set", "name", "cart", "value", "3 items", "flush", "true").status()).isEqualTo(503);
    }

    @Test
    void withHoldResponseOffAFlushedResponseLeavesBeforeTheWrite() {
        TcpProxy proxy = cluster.keep(new TcpProxy(redis.uri));
        TestNode a = cluster.start(cluster.builder("nodeA", "redisUri", proxy.uri(), "redisTimeoutMillis", "1000",
                "holdResponse", "false"));
        Browser browser = new Browser();
        assertThat(browser.call(a, "set", "name", "user", "value", "alice", "flush", "true").status()).isEqualTo(200);

        proxy.down();
        // The documented cost of holdResponse=false: the response was sent before the write failed.
        assertThat(browser.call(a, "set", "name", "cart", "value", "3 items", "flush", "true").status()).isEqualTo(200);
    }

    @Test
    void changeIdAndInvalidateDuringAnOutageAnswer503() {
        TcpProxy proxy = cluster.keep(new TcpProxy(redis.uri));
        TestNode a = cluster.nodeVia(proxy, "nodeA");
        Browser browser = new Browser();
        assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        String id = browser.cookie();

        proxy.down();
        Browser.Reply change = browser.call(a, "changeId");
        assertThat(change.status()).isEqualTo(503);
        assertThat(change.retryAfter()).isPresent();
        assertThat(change.setCookie()).isNull();
        Browser.Reply logout = browser.call(a, "invalidate");
        assertThat(logout.status()).isEqualTo(503);

        // The logout took effect locally at once, and reaches the store when it is back.
        proxy.up();
        Await.until(Duration.ofSeconds(15), () -> redis.exists(redis.sessionKey(id.substring(0, id.indexOf('.')))),
                exists -> !exists, "the pending delete to reach Redis");
        assertThat(browser.call(a, "get", "name", "user").body()).isEqualTo("no-session");
    }

    @Test
    void nothingListensAtTheRedisPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TestNode a = cluster.node("nodeA", "redisUri", "redis://127.0.0.1:" + port, "redisTimeoutMillis", "500");
        assertThat(a.isAvailable()).isTrue();
        Browser browser = new Browser();
        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            Browser.Reply reply = browser.call(a, "set", "name", "user", "value", "alice");
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.retryAfter()).isPresent();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
        // The sessions those requests created were never acknowledged: they do not linger on the node.
        assertThat(a.manager().findSessions()).isEmpty();
        // A request without a session does not need the store at all.
        assertThat(new Browser().call(a, "id").status()).isEqualTo(200);
    }
}
