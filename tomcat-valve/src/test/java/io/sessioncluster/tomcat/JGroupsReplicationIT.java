package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions replicated between embedded Tomcat nodes by the JGroups store (no server), over real HTTP: set on one
 * node and read on the others in both replication modes and with async writes, a crashed node's sessions served
 * by the others, a node joining under load, and expiry firing its listener on exactly one node.
 */
class JGroupsReplicationIT {

    private final String cluster = JGroupsNodes.freshCluster();
    private final List<TestNode> nodes = new ArrayList<>();
    private final DestroyCounter destroyed = new DestroyCounter();

    @AfterEach
    void stopNodes() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    private TestNode node(String name, String... settings) {
        TestNode node = TestNode.named(name).settings(JGroupsNodes.settings(cluster, settings))
                .listener(destroyed.listenerFor(name)).start();
        nodes.add(node);
        return node;
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void setOnAIsReadOnBAndC(String replication) {
        TestNode a = node("nodeA", "replication", replication, "sticky", "false");
        TestNode b = node("nodeB", "replication", replication, "sticky", "false");
        TestNode c = node("nodeC", "replication", replication, "sticky", "false");
        Browser browser = new Browser();

        assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        String id = browser.cookie();
        assertThat(browser.callAs(id, b, "get", "name", "user").body()).isEqualTo("alice");
        assertThat(browser.callAs(id, c, "get", "name", "user").body()).isEqualTo("alice");
        assertThat(browser.callAs(id, b, "append", "name", "cart", "value", "apple").body()).isEqualTo("[apple]");
        assertThat(browser.callAs(id, c, "get", "name", "cart").body()).isEqualTo("[apple]");
        assertThat(browser.callAs(id, a, "names").body()).isEqualTo("[cart, user]");
    }

    @Test
    void asyncWritesReachTheOtherNodesBehindTheResponse() {
        TestNode a = node("nodeA", "replication", "primary-backup", "writeMode", "async");
        TestNode b = node("nodeB", "replication", "primary-backup", "writeMode", "async");
        Browser browser = new Browser();

        assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        String id = browser.cookie();
        // Written behind the response: poll, bounded.
        Await.served(Duration.ofSeconds(10), () -> browser.callAs(id, b, "get", "name", "user"),
                r -> r.body().equals("alice"), "the attribute on node B");
    }

    @Test
    void crashedNodesSessionsAreServedByTheOthers() throws Exception {
        TestNode a = node("nodeA", "replication", "primary-backup");
        TestNode b = node("nodeB", "replication", "primary-backup");
        TestNode c = node("nodeC", "replication", "primary-backup");
        List<Browser> browsers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Browser browser = new Browser();
            browser.call(a, "set", "name", "n", "value", "v" + i);
            browser.call(a, "append", "name", "cart", "value", "item" + i);
            browsers.add(browser);
        }

        JGroupsNodes.crash(a);
        nodes.remove(a);

        for (int i = 0; i < browsers.size(); i++) {
            Browser browser = browsers.get(i);
            TestNode survivor = i % 2 == 0 ? b : c;
            Browser.Reply reply = browser.call(survivor, "get", "name", "n");
            assertThat(reply.body()).isEqualTo("v" + i);
            assertThat(reply.setCookie()).endsWith("." + survivor.name());
            assertThat(browser.call(survivor, "get", "name", "cart").body()).isEqualTo("[item" + i + "]");
        }
    }

    @Test
    void nodeJoiningUnderLoadServesEverySession() throws Exception {
        TestNode a = node("nodeA", "sticky", "false");
        TestNode b = node("nodeB", "sticky", "false");
        Map<String, String> lastAcknowledged = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> load = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                load.add(pool.submit(() -> {
                    List<Browser> browsers = new ArrayList<>();
                    for (int i = 0; !stop.get(); i++) {
                        if (browsers.size() < 5) {
                            browsers.add(new Browser());
                        }
                        Browser browser = browsers.get(i % browsers.size());
                        TestNode target = i % 2 == 0 ? a : b;
                        Browser.Reply reply = browser.call(target, "set", "name", "n", "value", "t" + thread + "-" + i);
                        sent.incrementAndGet();
                        if (reply.status() == 200) {
                            lastAcknowledged.put(SessionIds.baseId(browser.cookie()), "t" + thread + "-" + i);
                        } else if (reply.status() == 503 && reply.retryAfter().isPresent()) {
                            refused.incrementAndGet(); // unacknowledged: the client knows to retry it
                        } else {
                            problems.add(reply.status() + " " + reply.body());
                        }
                    }
                    return null;
                }));
            }
            Await.until(Duration.ofSeconds(10), lastAcknowledged::size, n -> n >= 10, "load running");
            TestNode c = node("nodeC", "sticky", "false");
            Await.sleep(Duration.ofMillis(500));
            stop.set(true);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }

            assertThat(problems).as("replies other than 200 or 503 with Retry-After").isEmpty();
            assertThat(refused.get()).as("503s of %d requests while node C joined", sent.get())
                    .isLessThanOrEqualTo(Math.max(10, sent.get() / 20));
            for (Map.Entry<String, String> e : lastAcknowledged.entrySet()) {
                assertThat(new Browser().callAs(e.getKey(), c, "get", "name", "n").body()).isEqualTo(e.getValue());
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void expiredSessionFiresItsListenerOnExactlyOneNode() {
        TestNode a = node("nodeA");
        TestNode b = node("nodeB");
        TestNode c = node("nodeC");
        Browser browser = new Browser();
        browser.call(a, "timeout", "value", "3"); // long enough for three nodes to read it on a busy machine
        browser.call(a, "set", "name", "user", "value", "alice");
        String base = SessionIds.baseId(browser.cookie());
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("alice");
        assertThat(browser.call(c, "get", "name", "user").body()).isEqualTo("alice");

        Await.until(Duration.ofSeconds(20), () -> destroyed.destroyedOf(base), l -> !l.isEmpty(), "sessionDestroyed");
        Await.sleep(Duration.ofSeconds(3)); // several more background rounds, to fire again if it were wrong
        assertThat(destroyed.destroyedOf(base)).hasSize(1);
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("no-session");
    }
}
