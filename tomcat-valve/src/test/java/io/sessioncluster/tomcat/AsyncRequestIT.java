package io.sessioncluster.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asynchronous servlets in {@code writeMode=sync}: the session is changed on a pool thread, then the request ends
 * with {@code AsyncContext.complete()} or {@code dispatch()}. The change is in the store before the client has the
 * response; if the store cannot take it, the client gets a 503, never a 200.
 */
class AsyncRequestIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();
    private final RedisFixture redis = cluster.redis();

    @ParameterizedTest
    @ValueSource(strings = {"async", "asyncDispatch"})
    void changeOnAPoolThreadIsStoredBeforeTheClientHasTheResponse(String op) {
        TestNode a = cluster.node("nodeA");
        TestNode b = cluster.node("nodeB");
        String body = op.equals("async") ? "ok" : "dispatched";

        // A session created on the pool thread.
        Browser browser = new Browser();
        Browser.Reply created = browser.call(a, op, "name", "user", "value", "carol");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body()).isEqualTo(body);
        assertThat(browser.cookie()).isNotNull();
        // No polling: the client has the answer, so the store has the change.
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("carol");

        // An existing session changed on the pool thread.
        Browser.Reply changed = browser.call(a, op, "name", "cart", "value", "3 items");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(body);
        assertThat(browser.call(b, "names").body()).isEqualTo("[cart, user]");
        assertThat(browser.call(b, "get", "name", "cart").body()).isEqualTo("3 items");
    }

    @ParameterizedTest
    @ValueSource(strings = {"async", "asyncDispatch"})
    void redisLostBeforeTheAsyncRequestEndsGives503NotA200(String op) {
        TcpProxy proxy = cluster.keep(new TcpProxy(redis.uri));
        TestNode a = cluster.nodeVia(proxy, "nodeA");
        TestNode b = cluster.node("nodeB");
        Browser browser = new Browser();
        assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        String id = browser.cookie();

        proxy.down();
        long started = System.nanoTime();
        Browser.Reply failed = browser.call(a, op, "name", "cart", "value", "3 items");
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.retryAfter()).contains(SessionClusterValve.RETRY_AFTER_SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        // Nothing acknowledged was lost, and nothing unacknowledged reached the store.
        browser.cookie(id);
        assertThat(browser.call(b, "names").body()).isEqualTo("[user]");

        // A session created by an asynchronous request during the outage is refused too and does not linger.
        Browser fresh = new Browser();
        Browser.Reply refused = fresh.call(a, op, "name", "user", "value", "dave");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.setCookie()).isNull();
        assertThat(a.manager().findSessions()).allSatisfy(s -> assertThat(s.getIdInternal()).isEqualTo(id));

        // Back up: the kept change is written with the session's next write.
        proxy.up();
        assertThat(Await.recovery(Duration.ofSeconds(15),
                () -> browser.callAs(id, a, "set", "name", "seen", "value", "yes"), "node A to write again")
                .refused()).as("503s while the store reconnected").isLessThan(100);
        browser.cookie(id);
        assertThat(browser.call(b, "names").body()).isEqualTo("[cart, seen, user]");
        // The refused session never lingered on node A.
        assertThat(a.manager().findSessions()).allSatisfy(s -> assertThat(s.getIdInternal()).isEqualTo(id));
    }
}
