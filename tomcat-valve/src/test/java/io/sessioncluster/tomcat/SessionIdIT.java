package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** changeSessionId moves the session atomically in the store; invalidate ends it everywhere. Over Redis. */
class SessionIdIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();
    private final RedisFixture redis = cluster.redis();
    private final DestroyCounter destroyed = new DestroyCounter();

    private TestNode node(String name, String writeMode) {
        return cluster.start(cluster.builder(name, "writeMode", writeMode).listener(destroyed.listenerFor(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void changedIdMovesTheSessionAndTheOldIdStopsWorkingEverywhere(String writeMode) {
        TestNode a = node("nodeA", writeMode);
        TestNode b = node("nodeB", writeMode);
        Browser browser = new Browser();
        // Node B holds a copy of the session too (async: once the write-behind landed).
        String oldId = createdOnAndHeldBy(browser, a, b);

        browser.cookie(oldId);
        Browser.Reply changed = browser.call(a, "changeId");
        assertThat(changed.status()).isEqualTo(200);
        String newId = changed.body();
        assertThat(changed.setCookie()).isEqualTo(newId);
        assertThat(SessionIds.baseId(newId)).isNotEqualTo(SessionIds.baseId(oldId));
        assertThat(redis.exists(redis.sessionKey(SessionIds.baseId(oldId)))).isFalse();
        assertThat(redis.exists(redis.sessionKey(SessionIds.baseId(newId)))).isTrue();

        // The old id: no session on A, nor on B (which must not serve its old copy).
        assertThat(browser.callAs(oldId, a, "get", "name", "user").body()).isEqualTo("no-session");
        assertThat(browser.callAs(oldId, b, "get", "name", "user").body()).isEqualTo("no-session");
        Browser.Reply fresh = browser.callAs(oldId, b, "set", "name", "other", "value", "x");
        assertThat(fresh.setCookie()).isNotNull();
        assertThat(SessionIds.baseId(fresh.setCookie())).isNotEqualTo(SessionIds.baseId(oldId));

        // The new id works on B, with the attribute.
        assertThat(browser.callAs(newId, b, "get", "name", "user").body()).isEqualTo("alice");
        assertThat(destroyed.destroyedOf(SessionIds.baseId(oldId))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void invalidatedSessionIsGoneOnEveryNode(String writeMode) {
        TestNode a = node("nodeA", writeMode);
        TestNode b = node("nodeB", writeMode);
        Browser browser = new Browser();
        // B takes it over (the cookie moves to B's route) and holds a copy; then the user logs out on A.
        String base = SessionIds.baseId(createdOnAndHeldBy(browser, a, b));
        assertThat(browser.cookie()).isEqualTo(base + ".nodeB");
        assertThat(browser.call(a, "invalidate").status()).isEqualTo(200);
        assertThat(browser.cookie()).isEqualTo(base + ".nodeA");
        assertThat(redis.exists(redis.sessionKey(base))).isFalse();

        // The balancer sends the client's cookie to B: B reloads (another node's route) and finds nothing.
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("no-session");
        assertThat(browser.callAs(base + ".nodeA", a, "get", "name", "user").body()).isEqualTo("no-session");
        // Listeners fired once, on the node that invalidated.
        assertThat(destroyed.destroyedOf(base)).containsExactly("nodeA:" + base);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void invalidatedSessionIsGoneOnANodeThatHeldItUnderItsOwnRoute(String sticky) {
        TestNode a = cluster.node("nodeA", "sticky", sticky);
        TestNode b = cluster.node("nodeB", "sticky", sticky);
        Browser browser = new Browser();
        browser.call(b, "set", "name", "user", "value", "alice");
        String onB = browser.cookie();
        assertThat(browser.call(a, "invalidate").status()).isEqualTo(200);

        // B still holds its copy under its own route. Non-sticky: the version check finds it gone. Sticky: the
        // eviction A published drops it (asynchronously; should it arrive late, the write finds the session missing).
        Browser.Reply replay = browser.callAs(onB, b, "set", "name", "user", "value", "mallory");
        if (sticky.equals("false")) {
            assertThat(replay.setCookie()).isNotNull().isNotEqualTo(onB);
        }
        assertThat(browser.callAs(onB, b, "get", "name", "user").body()).isEqualTo("no-session");
    }

    /** Creates a session (user=alice) on {@code a}; returns its cookie once {@code b} serves it too. */
    private static String createdOnAndHeldBy(Browser browser, TestNode a, TestNode b) {
        browser.call(a, "set", "name", "user", "value", "alice");
        String onA = browser.cookie();
        Await.served(Duration.ofSeconds(10), () -> browser.callAs(onA, b, "get", "name", "user"),
                r -> r.body().equals("alice"), "the session on node B");
        return onA;
    }
}
