package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A session expires once in the whole cluster: sessionDestroyed fires on exactly one node. Over Redis. */
class ExpiryIT {

    private final RedisFixture redis = new RedisFixture();
    private final List<TestNode> nodes = new ArrayList<>();
    private final DestroyCounter destroyed = new DestroyCounter();

    @AfterEach
    void stop() {
        nodes.forEach(TestNode::close);
        redis.close();
    }

    private TestNode node(String name) {
        TestNode node = TestNode.named(name).settings(redis.settings()).listener(destroyed.listenerFor(name)).start();
        nodes.add(node);
        return node;
    }

    @Test
    void expiredSessionFiresItsListenerOnExactlyOneNode() {
        TestNode a = node("nodeA");
        TestNode b = node("nodeB");
        TestNode c = node("nodeC");
        Browser browser = new Browser();
        // Every node holds a copy: a session held everywhere is the hardest case for "exactly once".
        browser.call(a, "timeout", "value", "2");
        browser.call(a, "set", "name", "user", "value", "alice");
        String base = SessionIds.baseId(browser.cookie());
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("alice");
        assertThat(browser.call(c, "get", "name", "user").body()).isEqualTo("alice");
        // A session nobody holds any more (its node stopped) is claimed by a survivor, also exactly once.
        Browser orphan = new Browser();
        TestNode d = node("nodeD");
        orphan.call(d, "timeout", "value", "1");
        orphan.call(d, "set", "name", "user", "value", "bob");
        String orphanBase = SessionIds.baseId(orphan.cookie());
        d.close();
        nodes.remove(d);

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
        browser.call(a, "timeout", "value", "2");
        browser.call(a, "set", "name", "user", "value", "alice");
        String base = SessionIds.baseId(browser.cookie());
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
}
