package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** changeSessionId moves the session atomically in the store; invalidate ends it everywhere. Over Redis. */
class SessionIdIT {

    private final RedisFixture redis = new RedisFixture();
    private final List<TestNode> nodes = new ArrayList<>();
    private final DestroyCounter destroyed = new DestroyCounter();

    @AfterEach
    void stop() {
        nodes.forEach(TestNode::close);
        redis.close();
    }

    private TestNode node(String name, String writeMode) {
        TestNode node = TestNode.named(name).settings(redis.settings("writeMode", writeMode))
                .listener(destroyed.listenerFor(name)).start();
        nodes.add(node);
        return node;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void changedIdMovesTheSessionAndTheOldIdStopsWorkingEverywhere(String writeMode) {
        TestNode a = node("nodeA", writeMode);
        TestNode b = node("nodeB", writeMode);
        Browser browser = new Browser();
        browser.call(a, "set", "name", "user", "value", "alice");
        String oldId = browser.cookie();
        // Node B holds a copy of the session too (async: once the write-behind landed).
        Await.until(Duration.ofSeconds(10), () -> send(browser, oldId, b, "get", "name", "user"),
                r -> r.body().equals("alice"), "the session on node B");

        browser.cookie(oldId);
        Browser.Reply changed = browser.call(a, "changeId");
        assertThat(changed.status()).isEqualTo(200);
        String newId = changed.body();
        assertThat(changed.setCookie()).isEqualTo(newId);
        assertThat(SessionIds.baseId(newId)).isNotEqualTo(SessionIds.baseId(oldId));
        assertThat(redis.exists(redis.sessionKey(SessionIds.baseId(oldId)))).isFalse();
        assertThat(redis.exists(redis.sessionKey(SessionIds.baseId(newId)))).isTrue();

        // The old id: no session on A, nor on B (which must not serve its old copy).
        assertThat(send(browser, oldId, a, "get", "name", "user").body()).isEqualTo("no-session");
        assertThat(send(browser, oldId, b, "get", "name", "user").body()).isEqualTo("no-session");
        Browser.Reply fresh = send(browser, oldId, b, "set", "name", "other", "value", "x");
        assertThat(fresh.setCookie()).isNotNull();
        assertThat(SessionIds.baseId(fresh.setCookie())).isNotEqualTo(SessionIds.baseId(oldId));

        // The new id works on B, with the attribute.
        assertThat(send(browser, newId, b, "get", "name", "user").body()).isEqualTo("alice");
        assertThat(destroyed.destroyedOf(SessionIds.baseId(oldId))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void invalidatedSessionIsGoneOnEveryNode(String writeMode) {
        TestNode a = node("nodeA", writeMode);
        TestNode b = node("nodeB", writeMode);
        Browser browser = new Browser();
        browser.call(a, "set", "name", "user", "value", "alice");
        String base = SessionIds.baseId(browser.cookie());
        // B takes it over (the cookie moves to B's route) and holds a copy; then the user logs out on A.
        String onA = browser.cookie();
        Await.until(Duration.ofSeconds(10), () -> send(browser, onA, b, "get", "name", "user"),
                r -> r.body().equals("alice"), "the session on node B");
        assertThat(browser.cookie()).isEqualTo(base + ".nodeB");
        assertThat(browser.call(a, "invalidate").status()).isEqualTo(200);
        assertThat(browser.cookie()).isEqualTo(base + ".nodeA");
        assertThat(redis.exists(redis.sessionKey(base))).isFalse();

        // The balancer sends the client's cookie to B: B reloads (another node's route) and finds nothing.
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("no-session");
        assertThat(send(browser, base + ".nodeA", a, "get", "name", "user").body()).isEqualTo("no-session");
        // Listeners fired once, on the node that invalidated.
        assertThat(destroyed.destroyedOf(base)).containsExactly("nodeA:" + base);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void invalidatedSessionIsGoneOnANodeThatHeldItUnderItsOwnRoute(String sticky) {
        TestNode a = TestNode.named("nodeA").settings(redis.settings("sticky", sticky)).start();
        nodes.add(a);
        TestNode b = TestNode.named("nodeB").settings(redis.settings("sticky", sticky)).start();
        nodes.add(b);
        Browser browser = new Browser();
        browser.call(b, "set", "name", "user", "value", "alice");
        String onB = browser.cookie();
        assertThat(browser.call(a, "invalidate").status()).isEqualTo(200);

        // B still holds its copy under its own route. Non-sticky: the version check finds it gone. Sticky: the
        // eviction A published drops it (asynchronously; should it arrive late, the write finds the session missing).
        Browser.Reply replay = send(browser, onB, b, "set", "name", "user", "value", "mallory");
        if (sticky.equals("false")) {
            assertThat(replay.setCookie()).isNotNull().isNotEqualTo(onB);
        }
        assertThat(send(browser, onB, b, "get", "name", "user").body()).isEqualTo("no-session");
    }

    private static Browser.Reply send(Browser browser, String cookie, TestNode node, String op, String... params) {
        browser.cookie(cookie);
        return browser.call(node, op, params);
    }
}
