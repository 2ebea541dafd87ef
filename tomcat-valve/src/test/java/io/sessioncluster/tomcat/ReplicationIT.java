package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions replicate between nodes over Redis: set and read, in-place mutation, sticky and non-sticky, both write modes. */
class ReplicationIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();

    /** Sync runs non-sticky (any node, every request); async needs sticky, so B serves A's session by failover. */
    private static String stickyFor(String writeMode) {
        return writeMode.equals("sync") ? "false" : "true";
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void attributeSetOnOneNodeIsReadOnAnother(String writeMode) {
        TestNode a = cluster.node("nodeA", "writeMode", writeMode, "sticky", stickyFor(writeMode));
        TestNode b = cluster.node("nodeB", "writeMode", writeMode, "sticky", stickyFor(writeMode));
        Browser browser = new Browser();

        assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        String id = browser.cookie();
        assertThat(id).endsWith(".nodeA");

        // Async writes land behind the response: poll, bounded.
        Browser.Reply onB = Await.served(Duration.ofSeconds(10), () -> browser.callAs(id, b, "get", "name", "user"),
                r -> r.body().equals("alice"), "the attribute on node B");
        assertThat(onB.status()).isEqualTo(200);
        assertThat(onB.setCookie()).isEqualTo(SessionIds.baseId(id) + ".nodeB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void attributeMutatedInPlaceIsReplicated(String writeMode) {
        TestNode a = cluster.node("nodeA", "writeMode", writeMode, "sticky", stickyFor(writeMode));
        TestNode b = cluster.node("nodeB", "writeMode", writeMode, "sticky", stickyFor(writeMode));
        Browser browser = new Browser();

        assertThat(browser.call(a, "append", "name", "cart", "value", "apple").body()).isEqualTo("[apple]");
        String id = browser.cookie();
        // The second item only mutates the list: no setAttribute.
        assertThat(browser.call(a, "append", "name", "cart", "value", "pear").body()).isEqualTo("[apple, pear]");

        Await.served(Duration.ofSeconds(10), () -> browser.callAs(id, b, "get", "name", "cart"),
                r -> r.body().equals("[apple, pear]"), "the mutated list on node B");
    }

    @Test
    void settingAnAttributeAgainUnchangedWritesNothingAndChangedWritesIt() {
        TestNode a = cluster.node("nodeA", "sticky", "false");
        TestNode b = cluster.node("nodeB", "sticky", "false");
        Browser browser = new Browser();
        assertThat(browser.call(a, "append", "name", "cart", "value", "apple").body()).isEqualTo("[apple]");
        String id = browser.cookie();
        long writes = a.manager().getStatistics().writes();

        for (int i = 0; i < 3; i++) {
            assertThat(browser.callAs(id, a, "setAgain", "name", "cart").body()).isEqualTo("[apple]");
        }
        assertThat(a.manager().getStatistics().writes()).as("the same value set again: no write").isEqualTo(writes);

        assertThat(browser.callAs(id, a, "append", "name", "cart", "value", "pear").body()).isEqualTo("[apple, pear]");
        assertThat(browser.callAs(id, a, "setAgain", "name", "cart").body()).isEqualTo("[apple, pear]");
        assertThat(a.manager().getStatistics().writes()).isEqualTo(writes + 1);
        assertThat(browser.callAs(id, b, "get", "name", "cart").body()).isEqualTo("[apple, pear]");
    }

    @Test
    void withoutMutationDetectionAnInPlaceChangeStaysLocalUntilSetAttribute() {
        TestNode a = cluster.node("nodeA", "sticky", "false", "detectMutations", "false");
        TestNode b = cluster.node("nodeB", "sticky", "false", "detectMutations", "false");
        Browser browser = new Browser();

        assertThat(browser.call(a, "append", "name", "cart", "value", "apple").body()).isEqualTo("[apple]");
        String id = browser.cookie();
        // The second item only mutates the list: with detectMutations=false that is not written (documented).
        assertThat(browser.call(a, "append", "name", "cart", "value", "pear").body()).isEqualTo("[apple, pear]");
        assertThat(browser.callAs(id, b, "get", "name", "cart").body()).isEqualTo("[apple]");
        // An attribute passed to setAttribute is written as always.
        assertThat(browser.callAs(id, a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        assertThat(browser.callAs(id, b, "get", "name", "user").body()).isEqualTo("alice");
    }

    @Test
    void stickySessionServesFromTheLocalCopyAndFailsOverWithAllAttributes() {
        TestNode a = cluster.node("nodeA");
        TestNode b = cluster.node("nodeB");
        Browser browser = new Browser();
        browser.call(a, "set", "name", "one", "value", "1");
        browser.call(a, "set", "name", "two", "value", "2");
        browser.call(a, "append", "name", "list", "value", "x");
        browser.call(a, "append", "name", "list", "value", "y");
        String id = browser.cookie();
        assertThat(browser.call(a, "get", "name", "one").body()).isEqualTo("1");

        // The balancer sends the session to B (A died): all attributes, and the id moves to B's route.
        cluster.stop(a);
        Browser.Reply reply = browser.call(b, "names");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("[list, one, two]");
        assertThat(reply.setCookie()).isEqualTo(SessionIds.baseId(id) + ".nodeB");
        assertThat(reply.session()).isEqualTo(SessionIds.baseId(id) + ".nodeB");
        assertThat(browser.call(b, "get", "name", "list").body()).isEqualTo("[x, y]");
        assertThat(browser.call(b, "get", "name", "two").body()).isEqualTo("2");
        // The rewritten id keeps working on B, without a new cookie.
        Browser.Reply again = browser.call(b, "set", "name", "three", "value", "3");
        assertThat(again.setCookie()).isNull();
        assertThat(browser.call(b, "names").body()).isEqualTo("[list, one, three, two]");
    }

    @Test
    void asynchronousRequestIsWrittenWhenItCompletes() {
        TestNode a = cluster.node("nodeA");
        TestNode b = cluster.node("nodeB");
        Browser browser = new Browser();
        Browser.Reply reply = browser.call(a, "async", "name", "user", "value", "carol");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("ok");
        assertThat(browser.cookie()).isNotNull();
        // The write happens when the asynchronous request completes, which may be just after the answer is sent.
        Await.served(Duration.ofSeconds(5), () -> browser.call(b, "get", "name", "user"), r -> r.body().equals("carol"),
                "the attribute set asynchronously, on node B");
    }

    @Test
    void writeThatSkipsAVersionMarksTheLocalCopyStaleAndTheNextRequestReloads() {
        TestNode a = cluster.node("nodeA");
        TestNode b = cluster.node("nodeB");
        Browser browser = new Browser();
        browser.call(a, "set", "name", "x", "value", "1");
        String onA = browser.cookie();
        browser.call(b, "set", "name", "y", "value", "2"); // B takes over and writes

        // A stale cookie of A's route reaches A: sticky A serves its own copy (without y); its write lands as a
        // merge, skipping a version, so A marks its copy stale.
        browser.cookie(onA);
        assertThat(browser.call(a, "set", "name", "z", "value", "3").status()).isEqualTo(200);
        assertThat(browser.call(a, "names").body()).isEqualTo("[x, y, z]");
    }

    @Test
    void nonStickyAlternatesNodesOnEveryRequestAndSeesEveryChange() {
        TestNode a = cluster.start(cluster.builder("nodeA", "sticky", "false").noRoute());
        TestNode b = cluster.start(cluster.builder("nodeB", "sticky", "false").noRoute());
        Browser browser = new Browser();
        TestNode[] ring = {a, b};
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            TestNode node = ring[i % 2];
            assertThat(browser.call(node, "append", "name", "seen", "value", "r" + i).status()).isEqualTo(200);
            expected.append(expected.length() == 0 ? "" : ", ").append("r").append(i);
            assertThat(browser.call(ring[(i + 1) % 2], "get", "name", "seen").body()).isEqualTo("[" + expected + "]");
            browser.call(node, "set", "name", "last", "value", "v" + i);
            assertThat(browser.call(ring[(i + 1) % 2], "get", "name", "last").body()).isEqualTo("v" + i);
        }
        assertThat(browser.cookie()).doesNotContain(".");
    }
}
