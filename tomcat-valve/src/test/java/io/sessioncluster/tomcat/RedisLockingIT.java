package io.sessioncluster.tomcat;

import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.SessionStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code locking=session} on Redis, with embedded Tomcat nodes answering real HTTP: requests of one session run on
 * one node at a time, a lock held elsewhere is waited for (bounded: 503 with Retry-After), a dead holder's lock ends
 * with its lease, and a holder whose lock was taken after its lease cannot write.
 */
class RedisLockingIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();
    private final RedisFixture redis = cluster.redis();

    private List<TestNode> threeNodes(String... settings) {
        return List.of(node("nodeA", settings), node("nodeB", settings), node("nodeC", settings));
    }

    private TestNode node(String name, String... settings) {
        String[] all = new String[settings.length + 2];
        all[0] = "sticky";
        all[1] = "false"; // locking=auto means session here
        System.arraycopy(settings, 0, all, 2, settings.length);
        return cluster.node(name, all);
    }

    @Test
    void parallelInPlaceAppendsOfOneSessionOnThreeNodesLoseNothing() throws Exception {
        List<TestNode> nodes = threeNodes();

        LockingScenarios.Outcome outcome = LockingScenarios.appendInParallel(nodes, 2, 15, 3);

        outcome.assertNothingLost();
        assertThat(outcome.acknowledgedCount()).isEqualTo(90);
        assertThat(outcome.stored()).hasSize(91); // with "start"
        assertThat(nodes.stream().mapToLong(n -> n.manager().getStatistics().lockWaits()).sum())
                .as("requests that waited for another node").isPositive();
    }

    @Test
    void withoutTheLockTheSameAppendsLoseAcknowledgedValues() throws Exception {
        LockingScenarios.Outcome outcome = LockingScenarios.appendInParallel(threeNodes("locking", "none"), 2, 15, 3);

        // The case the setting exists for: the later writer of the list wins.
        System.out.printf("locking=none: %d of %d acknowledged appends lost%n", outcome.lost(),
                outcome.acknowledgedCount());
        assertThat(outcome.lost()).isPositive();
    }

    @Test
    void aRequestThatWaitsLongerThanLockWaitMillisIsAnswered503WithRetryAfterBeforeTheApplicationRuns()
            throws Exception {
        TestNode holder = node("nodeA");
        TestNode waiter = node("nodeB", "lockWaitMillis", "200");
        String base = startSession(holder, new Browser());
        CompletableFuture<Browser.Reply> busy = CompletableFuture.supplyAsync(
                () -> new Browser().callAs(base, holder, "hold", "pauseMillis", "2000"));
        awaitLocked(base);

        long started = System.nanoTime();
        Browser.Reply refused = new Browser().callAs(base, waiter, "set", "name", "late", "value", "1");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.retryAfter()).hasValue(SessionClusterValve.RETRY_AFTER_SECONDS);
        assertThat(tookMillis).as("bounded by lockWaitMillis, not by the holder").isLessThan(1500);
        assertThat(busy.get().status()).isEqualTo(200);
        assertThat(new Browser().callAs(base, waiter, "get", "name", "late").body()).as("the application never ran")
                .isEqualTo("null");
        assertThat(waiter.manager().getStatistics().lockTimeouts()).isEqualTo(1);
    }

    @Test
    void theLockOfAHolderThatDiedEndsWithItsLease() {
        try (SessionStore deadNode = redis.openStore()) {
            LockingScenarios.aDeadHoldersLockEndsWithItsLease(node("nodeA"), deadNode);
        }
    }

    @Test
    void aHolderWhoseLockWasTakenAfterItsLeaseRanOutIsAnswered503AndWritesNothing() throws Exception {
        TestNode node = node("nodeA", "lockLeaseSeconds", "1");
        Browser browser = new Browser();
        String base = startSession(node, browser);
        CompletableFuture<Browser.Reply> paused = CompletableFuture.supplyAsync(
                () -> new Browser().callAs(base, node, "hold", "name", "stale", "value", "x", "pauseMillis", "2500"));
        awaitLocked(base);
        try (SessionStore otherNode = redis.openStore()) {
            // As the store sees a node that paused longer than its lease: the lease ends, another node takes it.
            redis.hdel(redis.sessionKey(base), "#lx");
            assertThat(otherNode.lock(base, 60_000)).isInstanceOf(LockAttempt.Granted.class);

            Browser.Reply reply = paused.get();

            assertThat(reply.status()).isEqualTo(503);
            assertThat(otherNode.load(base).orElseThrow().attributes()).doesNotContainKey("stale");
            assertThat(node.manager().getStatistics().locksLost()).isPositive();
        }
    }

    @Test
    void requestsOfOneSessionOnOneNodeRunSideBySide() throws Exception {
        TestNode node = node("nodeA");
        Browser browser = new Browser();
        String base = startSession(node, browser);

        long started = System.nanoTime();
        CompletableFuture<Browser.Reply> first = CompletableFuture.supplyAsync(
                () -> new Browser().callAs(base, node, "hold", "pauseMillis", "1500"));
        CompletableFuture<Browser.Reply> second = CompletableFuture.supplyAsync(
                () -> new Browser().callAs(base, node, "hold", "pauseMillis", "1500"));
        assertThat(first.get().status()).isEqualTo(200);
        assertThat(second.get().status()).isEqualTo(200);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(tookMillis).as("both ran at once, not one after the other").isLessThan(2_800);
        assertThat(node.manager().getStatistics().lockWaits()).isZero();
    }

    @Test
    void changesOfARequestAnswered503AreNotWrittenLaterOverWhatAnotherNodeWroteMeanwhile() throws Exception {
        TcpProxy proxy = cluster.keep(new TcpProxy(redis.uri));
        TestNode a = cluster.nodeVia(proxy, "nodeA", "sticky", "false", "lockLeaseSeconds", "1");
        TestNode b = node("nodeB", "lockLeaseSeconds", "1");
        Browser browser = new Browser();
        assertThat(browser.call(b, "appendShared", "name", "log", "value", "start").status()).isEqualTo(200);
        String base = SessionIds.baseId(browser.cookie());

        // On A, the store goes away while the request runs: its write fails, the client gets a 503, and A keeps the
        // change for a later request (and holds the lock until its lease ends: the release failed too).
        CompletableFuture<Browser.Reply> failing = CompletableFuture.supplyAsync(() -> new Browser().callAs(base, a,
                "appendShared", "name", "log", "value", "unacknowledged", "pauseMillis", "1000"));
        awaitLocked(base);
        proxy.down();
        assertThat(failing.get().status()).isEqualTo(503);
        proxy.up();
        assertThat(new Browser().callAs(base, b, "appendShared", "name", "log", "value", "on-b").status()).isEqualTo(200);
        // A's connection to Redis comes back (Lettuce reconnects within a second): a new session there is stored.
        Await.until(Duration.ofSeconds(10), () -> new Browser().call(a, "set", "name", "x", "value", "1").status(),
                status -> status == 200, "node A reconnected");

        assertThat(new Browser().callAs(base, a, "appendShared", "name", "log", "value", "on-a").status()).isEqualTo(200);

        assertThat(new Browser().callAs(base, b, "get", "name", "log").body()).isEqualTo("[start, on-b, on-a]");
    }

    @Test
    void aWriteThatTimedOutInAStalledRedisAndLandedLaterDoesNotUndoWhatOtherNodesWroteAfterIt() throws Exception {
        TestNode a = node("nodeA", "redisTimeoutMillis", "1000");
        TestNode b = node("nodeB", "redisTimeoutMillis", "1000");
        Browser browser = new Browser();
        assertThat(browser.call(a, "appendShared", "name", "log", "value", "start").status()).isEqualTo(200);
        String base = SessionIds.baseId(browser.cookie());
        Await.until(Duration.ofSeconds(10), () -> redis.hget(redis.sessionKey(base), "#lx") == null,
                Boolean::booleanValue, "the lock released");

        CompletableFuture<Browser.Reply> timingOut = CompletableFuture.supplyAsync(() -> new Browser().callAs(base, a,
                "appendShared", "name", "log", "value", "timed-out", "pauseMillis", "300"));
        awaitLocked(base);
        redis.pauseClients(2_500); // A's write waits in Redis past A's timeout, then runs
        assertThat(timingOut.get().status()).isEqualTo(503);
        Await.until(Duration.ofSeconds(10), () -> new Browser().callAs(base, b, "appendShared", "name", "log", "value",
                "on-b").status(), status -> status == 200, "B served once Redis runs again");
        assertThat(new Browser().callAs(base, b, "appendShared", "name", "log", "value", "on-b-2").status()).isEqualTo(200);
        Await.until(Duration.ofSeconds(10), () -> new Browser().callAs(base, a, "appendShared", "name", "log", "value",
                "on-a").status(), status -> status == 200, "A served again");

        String list = new Browser().callAs(base, b, "get", "name", "log").body();
        assertThat(list).contains("on-b, on-b-2").contains("on-a");
    }

    /** A session begun on {@code node}, once the lock of its first request is released. */
    private String startSession(TestNode node, Browser browser) {
        assertThat(browser.call(node, "set", "name", "a", "value", "1").status()).isEqualTo(200);
        String base = SessionIds.baseId(browser.cookie());
        Await.until(Duration.ofSeconds(10), () -> redis.hget(redis.sessionKey(base), "#lx") == null,
                Boolean::booleanValue, "the lock released");
        return base;
    }

    /** Until a node holds the session's lock (its lease field is in the hash). */
    private void awaitLocked(String base) {
        Await.until(Duration.ofSeconds(10), () -> redis.hget(redis.sessionKey(base), "#lx") != null, Boolean::booleanValue,
                "the session locked");
    }
}
