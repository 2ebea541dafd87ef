package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A session expires once in the whole cluster: sessionDestroyed fires on exactly one node. Over Redis. */
class ExpiryIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();
    private final RedisFixture redis = cluster.redis();
    private final DestroyCounter destroyed = new DestroyCounter();

    private TestNode node(String name) {
        return cluster.start(cluster.builder(name).listener(destroyed.listenerFor(name)));
    }

    @Test
    void expiredSessionFiresItsListenerOnExactlyOneNode() {
        TestNode a = node("nodeA");
        TestNode b = node("nodeB");
        TestNode c = node("nodeC");
        Browser browser = new Browser();
        // Every node holds a copy: a session held everywhere is the hardest case for "exactly once".
        String base = session(browser, a, "2", "alice");
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("alice");
        assertThat(browser.call(c, "get", "name", "user").body()).isEqualTo("alice");
        // A session nobody holds any more (its node stopped) is claimed by a survivor, also exactly once.
        Browser orphan = new Browser();
        TestNode d = node("nodeD");
        String orphanBase = session(orphan, d, "1", "bob");
        cluster.stop(d);

        Await.until(Duration.ofSeconds(20), () -> destroyed.destroyedOf(base), l -> !l.isEmpty(), "sessionDestroyed of the held session");
        Await.until(Duration.ofSeconds(20), () -> destroyed.destroyedOf(orphanBase), l -> !l.isEmpty(), "sessionDestroyed of the orphan");
        // Give the other nodes several more background rounds to (wrongly) fire again.
        Await.sleep(Duration.ofSeconds(3));
        assertThat(destroyed.destroyedOf(base)).hasSize(1);
        assertThat(destroyed.destroyedOf(orphanBase)).hasSize(1);
        assertThat(redis.exists(redis.sessionKey(base))).isFalse();
        assertThat(redis.exists(redis.sessionKey(orphanBase))).isFalse();
        for (TestNode node : List.of(a, b, c)) {
            assertThat(node.manager().findSessions()).isEmpty();
        }
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("no-session");
    }

    @Test
    void sessionUsedOnAnotherNodeDoesNotExpireWhereItIsIdle() {
        TestNode a = node("nodeA");
        TestNode b = node("nodeB");
        Browser browser = new Browser();
        String base = session(browser, a, "2", "alice");
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("alice");
        // Keep using it on B only (read-only requests: touches), for longer than its timeout; A stays idle.
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() - end < 0) {
            assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("alice");
            Await.sleep(Duration.ofMillis(400));
        }
        assertThat(destroyed.destroyedOf(base)).isEmpty();
        assertThat(redis.exists(redis.sessionKey(base))).isTrue();
    }

    @Test
    void sessionDestroyedFiredByARequestRunsOutsideTheLoadLock() {
        AtomicReference<TestNode> nodeB = new AtomicReference<>();
        AtomicReference<String> otherLoad = new AtomicReference<>("listener did not run");
        HttpSessionListener probe = new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent se) {
                // Another thread loads the same session: it needs the same stripe lock as the request firing this.
                String id = se.getSession().getId();
                CompletableFuture<Object> load = CompletableFuture.supplyAsync(() -> {
                    try {
                        return nodeB.get().manager().findSession(id);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                try {
                    otherLoad.set(String.valueOf(load.get(5, TimeUnit.SECONDS)));
                } catch (TimeoutException e) {
                    otherLoad.set("blocked by the listener's own request");
                } catch (Exception e) {
                    otherLoad.set(e.toString());
                }
            }
        };
        TestNode a = node("nodeA");
        Browser browser = new Browser();
        session(browser, a, "1", "alice");
        cluster.stop(a); // nobody holds a copy: the next request finds the expired record and claims it itself
        TestNode b = cluster.start(cluster.builder("nodeB").listener(probe));
        nodeB.set(b);
        // Past its timeout, before the orphan sweep (2 s later) would claim it in the background.
        Await.sleep(Duration.ofMillis(1_300));

        Browser.Reply reply = browser.call(b, "get", "name", "user");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("no-session");
        assertThat(otherLoad.get()).isEqualTo("null"); // it ran, and the other load finished: gone, not blocked
    }

    /** Creates a session on {@code node} with the given timeout and user attribute; returns its base id. */
    private static String session(Browser browser, TestNode node, String timeoutSeconds, String user) {
        browser.call(node, "timeout", "value", timeoutSeconds);
        browser.call(node, "set", "name", "user", "value", user);
        return SessionIds.baseId(browser.cookie());
    }
}
