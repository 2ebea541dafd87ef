package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sticky mode after a failover: node B took a session of node A over, then ended, renamed or changed it. A client
 * replaying the old {@code id.nodeA} cookie to A must not be served A's old copy. Over Redis pub/sub.
 */
class EvictionIT {

    private static final Duration EVICTION_WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final Cluster cluster = new Cluster();

    private TestNode node(String name, String writeMode) {
        return cluster.node(name, "sticky", "true", "writeMode", writeMode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void oldCookieOnTheOldNodeFindsNoSessionAfterInvalidateOnTheNewNode(String writeMode) {
        TestNode a = node("nodeA", writeMode);
        TestNode b = node("nodeB", writeMode);
        Browser browser = new Browser();
        String oldId = takenOverByB(browser, a, b, writeMode);

        assertThat(browser.call(b, "invalidate").status()).isEqualTo(200);

        assertThat(replay(browser, a, oldId).body()).isEqualTo("no-session");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void oldCookieOnTheOldNodeFindsNoSessionAfterChangeIdOnTheNewNode(String writeMode) {
        TestNode a = node("nodeA", writeMode);
        TestNode b = node("nodeB", writeMode);
        Browser browser = new Browser();
        String oldId = takenOverByB(browser, a, b, writeMode);

        Browser.Reply changed = browser.call(b, "changeId");
        assertThat(changed.status()).isEqualTo(200);
        String newId = changed.body();

        assertThat(replay(browser, a, oldId).body()).isEqualTo("no-session");
        browser.cookie(newId);
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync"})
    void oldCookieOnTheOldNodeSeesWhatTheNewNodeWrote(String writeMode) {
        TestNode a = node("nodeA", writeMode);
        TestNode b = node("nodeB", writeMode);
        Browser browser = new Browser();
        String oldId = takenOverByB(browser, a, b, writeMode);

        assertThat(browser.call(b, "set", "name", "user", "value", "bob").status()).isEqualTo(200);

        assertThat(replay(browser, a, oldId).body()).isEqualTo("bob");
    }

    /** Creates a session on A, then sends its cookie to B (a failover): B takes it over under its route. */
    private static String takenOverByB(Browser browser, TestNode a, TestNode b, String writeMode) {
        browser.call(a, "set", "name", "user", "value", "alice");
        String oldId = browser.cookie();
        assertThat(SessionIds.route(oldId)).isEqualTo("nodeA");
        assertThat(a.manager().copies().get(SessionIds.baseId(oldId))).isNotNull();
        // async: the create reaches the store through the write-behind queue
        Await.served(Duration.ofSeconds(10), () -> browser.callAs(oldId, b, "get", "name", "user"),
                r -> r.body().equals("alice"), "the session taken over by node B");
        assertThat(browser.cookie()).isEqualTo(SessionIds.baseId(oldId) + ".nodeB");
        return oldId;
    }

    /**
     * Waits (bounded) until A has dropped its local copy, which only an eviction from B does in sticky mode, then
     * sends the old cookie to A once.
     */
    private static Browser.Reply replay(Browser browser, TestNode a, String oldId) {
        String base = SessionIds.baseId(oldId);
        Await.until(EVICTION_WAIT, () -> a.manager().copies().get(base) == null, gone -> gone,
                "node A dropping its copy after node B's eviction");
        return browser.callAs(oldId, a, "get", "name", "user");
    }
}
