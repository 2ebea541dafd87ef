package io.sessioncluster.tomcat;

import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.SessionStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page of AJAX calls of issue 12, for every store: several clients share one session, spread over the nodes
 * (round robin, {@code sticky=false}), each appending to one list attribute in place (no {@code setAttribute}).
 * Each request reads, changes and writes the same attribute, so without a cluster-wide lock the later writer wins
 * and acknowledged appends disappear.
 */
final class LockingScenarios {

    static final String LIST = "log";

    private LockingScenarios() {
    }

    /** What the clients did and what the session holds at the end. */
    record Outcome(List<List<String>> acknowledged, int unavailable, List<String> stored) {

        /** Acknowledged appends missing from the stored list. */
        int lost() {
            int lost = 0;
            for (List<String> client : acknowledged) {
                for (String value : client) {
                    lost += stored.contains(value) ? 0 : 1;
                }
            }
            return lost;
        }

        int acknowledgedCount() {
            return acknowledged.stream().mapToInt(List::size).sum();
        }

        /** Every acknowledged append is there exactly once, and each client's appends are in its order. */
        void assertNothingLost() {
            assertThat(unavailable).as("requests answered 503").isZero();
            String summary = " (" + lost() + " of " + acknowledgedCount() + " acknowledged appends lost; stored: " + stored + ")";
            Map<String, Integer> counts = new HashMap<>();
            stored.forEach(v -> counts.merge(v, 1, Integer::sum));
            for (List<String> client : acknowledged) {
                int previous = -1;
                for (String value : client) {
                    assertThat(counts.getOrDefault(value, 0)).as("times [" + value + "] is stored" + summary).isEqualTo(1);
                    int at = stored.indexOf(value);
                    assertThat(at).as("[" + value + "] after the same client's previous append").isGreaterThan(previous);
                    previous = at;
                }
            }
        }
    }

    /**
     * Starts a session on the first node with an empty list, then runs {@code clientsPerNode} clients on each node at
     * once, each appending {@code appends} values with a pause of {@code pauseMillis} inside each request.
     */
    static Outcome appendInParallel(List<TestNode> nodes, int clientsPerNode, int appends, long pauseMillis)
            throws Exception {
        Browser starter = new Browser();
        assertThat(starter.call(nodes.get(0), "appendShared", "name", LIST, "value", "start").status()).isEqualTo(200);
        String base = SessionIds.baseId(starter.cookie());
        int clients = clientsPerNode * nodes.size();
        List<List<String>> acknowledged = new ArrayList<>();
        AtomicInteger unavailable = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                TestNode node = nodes.get(c % nodes.size());
                List<String> mine = Collections.synchronizedList(new ArrayList<>());
                acknowledged.add(mine);
                String client = "c" + c;
                running.add(pool.submit(() -> {
                    Browser browser = new Browser();
                    browser.cookie(base);
                    go.await();
                    for (int r = 0; r < appends; r++) {
                        String value = client + "-" + r;
                        Browser.Reply reply = browser.call(node, "appendShared", "name", LIST, "value", value,
                                "pauseMillis", Long.toString(pauseMillis));
                        if (reply.status() == 200) {
                            mine.add(value);
                        } else if (reply.status() == 503) {
                            unavailable.incrementAndGet();
                        } else {
                            throw new AssertionError(value + " on " + node.name() + ": HTTP " + reply.status());
                        }
                        browser.cookie(base); // the balancer does not follow routes here: round robin
                    }
                    return null;
                }));
            }
            go.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            for (Future<?> f : running) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Browser reader = new Browser();
        reader.cookie(base);
        List<String> stored = null;
        for (TestNode node : nodes) {
            Browser.Reply reply = reader.call(node, "get", "name", LIST);
            assertThat(reply.status()).isEqualTo(200);
            List<String> seen = parse(reply.body());
            if (stored != null) {
                assertThat(seen).as("the list on " + node.name() + " as on the others").isEqualTo(stored);
            }
            stored = seen;
        }
        return new Outcome(acknowledged, unavailable.get(), stored);
    }

    /**
     * A node that died holding a session's lock (a store opened by the test, that takes the lock for 1.5 s and never
     * releases it): the next request of the session on {@code node} waits for the lease and is then served.
     */
    static void aDeadHoldersLockEndsWithItsLease(TestNode node, SessionStore deadNode) {
        Browser browser = new Browser();
        assertThat(browser.call(node, "set", "name", "a", "value", "1").status()).isEqualTo(200);
        String base = SessionIds.baseId(browser.cookie());
        LockAttempt taken = Await.until(Duration.ofSeconds(10), () -> deadNode.lock(base, 1_500),
                a -> a instanceof LockAttempt.Granted, "the first request's lock released");
        assertThat(taken).isInstanceOf(LockAttempt.Granted.class); // and never released

        long started = System.nanoTime();
        Browser.Reply reply = browser.call(node, "set", "name", "b", "value", "2");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(reply.status()).isEqualTo(200);
        assertThat(tookMillis).as("waited for the lease").isGreaterThanOrEqualTo(1_000);
        assertThat(deadNode.load(base).orElseThrow().attributes()).containsKey("b");
        assertThat(node.manager().getStatistics().lockWaits()).isEqualTo(1);
    }

    /** {@code [a, b, c]} as {@link List#toString()} writes it. */
    private static List<String> parse(String body) {
        String inner = body.trim();
        assertThat(inner).startsWith("[").endsWith("]");
        inner = inner.substring(1, inner.length() - 1);
        return inner.isEmpty() ? List.of() : Arrays.asList(inner.split(", "));
    }
}
