package io.sessioncluster.testkit;

import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lock rules of {@link SessionStore} ("Locks" in its Javadoc): one holder at a time across nodes, a lease
 * that ends a dead holder's lock, fencing tokens that refuse a holder whose lease ran out, release in the write's
 * own step. Part of the {@link SessionStoreContract} chain. Leases here are short (a fraction of a second), and
 * the tests that need one to run out poll for it rather than sleep a fixed time.
 */
public abstract class LockingContract extends ContractFixture {

    private static final long LONG_LEASE = 30_000;
    private static final long SHORT_LEASE = 300;

    @Test
    void aMissingSessionHasNothingToLock() {
        String id = newId();
        assertThat(store.lock(id, LONG_LEASE)).isEqualTo(LockAttempt.MISSING);
        assertThat(store.renewLock(id, 1, LONG_LEASE)).isFalse();
        store.unlock(id, 1, new Touch(id, now)); // nothing to release, nothing created
        assertThat(store.load(id)).isEmpty();
    }

    @Test
    void aGrantReadsTheStoredVersionInTheSameStep() {
        String id = newId();
        createSession(id, Map.of("a", bytes("1")));
        assertThat(update(id).set("a", "2").writeTo(store)).isEqualTo(WriteResult.written(2));

        LockAttempt attempt = store.lock(id, LONG_LEASE);

        assertThat(attempt).isInstanceOf(LockAttempt.Granted.class);
        assertThat(((LockAttempt.Granted) attempt).version()).isEqualTo(2);
        assertThat(((LockAttempt.Granted) attempt).token()).isPositive();
    }

    @Test
    void aHeldLockIsHeldForEveryOtherNodeUntilItIsReleased() {
        String id = newId();
        createSession(id, Map.of());
        SessionStore other = node();
        long first = granted(store.lock(id, LONG_LEASE));

        LockAttempt meanwhile = other.lock(id, LONG_LEASE);
        assertThat(meanwhile).isInstanceOf(LockAttempt.Held.class);
        assertThat(((LockAttempt.Held) meanwhile).remainingMillis()).isBetween(1L, LONG_LEASE);
        assertThat(store.lock(id, LONG_LEASE)).as("the holder itself asking again").isInstanceOf(LockAttempt.Held.class);

        store.unlock(id, first, null);
        long second = granted(other.lock(id, LONG_LEASE));
        assertThat(second).as("tokens grow with every grant").isGreaterThan(first);
    }

    @Test
    void aLeaseThatRunsOutIsGrantedAgainWithALargerToken() throws InterruptedException {
        String id = newId();
        createSession(id, Map.of());
        long first = granted(store.lock(id, SHORT_LEASE));
        SessionStore other = node();
        assertThat(other.lock(id, LONG_LEASE)).isInstanceOf(LockAttempt.Held.class);

        long second = awaitGrant(other, id);

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void aWriteOfAHolderWhoseLeaseRanOutAndWasGrantedAgainIsFencedAndChangesNothing() throws InterruptedException {
        String id = newId();
        createSession(id, Map.of("cart", bytes("before")));
        long stale = granted(store.lock(id, SHORT_LEASE));
        SessionStore other = node();
        long current = awaitGrant(other, id);

        assertThat(update(id).set("cart", "stale").build()).satisfies(changes ->
                assertThat(store.write(changes, new Fence(stale, true))).isEqualTo(WriteResult.fenced()));
        assertThat(store.load(id).orElseThrow().attributes().get("cart")).isEqualTo(bytes("before"));
        assertThat(store.load(id).orElseThrow().version()).isEqualTo(1);
        assertThat(node().lock(id, LONG_LEASE)).as("a fenced write releases nothing").isInstanceOf(LockAttempt.Held.class);

        assertThat(other.write(update(id).set("cart", "current").build(), new Fence(current, false)))
                .isEqualTo(WriteResult.written(2));
    }

    @Test
    void aHolderWhoseLeaseRanOutStillWritesWhileNoOneElseTookTheLock() throws InterruptedException {
        String id = newId();
        createSession(id, Map.of());
        long token = granted(store.lock(id, 1));
        Thread.sleep(20);

        assertThat(store.write(update(id).set("a", "1").build(), new Fence(token, false))).isEqualTo(WriteResult.written(2));
    }

    @Test
    void aWriteThatReleasesFreesTheLockInTheSameStep() {
        String id = newId();
        createSession(id, Map.of());
        long token = granted(store.lock(id, LONG_LEASE));

        assertThat(store.write(update(id).set("a", "1").build(), new Fence(token, true))).isEqualTo(WriteResult.written(2));

        assertThat(node().lock(id, LONG_LEASE)).isInstanceOf(LockAttempt.Granted.class);
    }

    @Test
    void aWriteThatKeepsTheLockLeavesItHeld() {
        String id = newId();
        createSession(id, Map.of());
        long token = granted(store.lock(id, LONG_LEASE));

        assertThat(store.write(update(id).set("a", "1").build(), new Fence(token, false))).isEqualTo(WriteResult.written(2));

        assertThat(node().lock(id, LONG_LEASE)).isInstanceOf(LockAttempt.Held.class);
    }

    @Test
    void aWriteWithoutAFenceIsNotHeldBackByALock() {
        String id = newId();
        createSession(id, Map.of());
        granted(store.lock(id, LONG_LEASE));

        assertThat(node().write(update(id).set("a", "1").build())).isEqualTo(WriteResult.written(2));
    }

    @Test
    void renewingExtendsTheLeaseAndFailsOnceTheLockWasGrantedAgain() throws InterruptedException {
        String id = newId();
        createSession(id, Map.of());
        long token = granted(store.lock(id, SHORT_LEASE));
        assertThat(store.renewLock(id, token, LONG_LEASE)).isTrue();
        Thread.sleep(SHORT_LEASE + 100);
        assertThat(node().lock(id, LONG_LEASE)).as("renewed past the first lease").isInstanceOf(LockAttempt.Held.class);

        String lost = newId();
        createSession(lost, Map.of());
        long stale = granted(store.lock(lost, SHORT_LEASE));
        awaitGrant(node(), lost);
        assertThat(store.renewLock(lost, stale, LONG_LEASE)).isFalse();
    }

    @Test
    void unlockingWithAnOvertakenTokenLeavesTheNewHolderAlone() throws InterruptedException {
        String id = newId();
        createSession(id, Map.of());
        long stale = granted(store.lock(id, SHORT_LEASE));
        awaitGrant(node(), id);

        store.unlock(id, stale, null);

        assertThat(node().lock(id, LONG_LEASE)).isInstanceOf(LockAttempt.Held.class);
    }

    @Test
    void unlockingRecordsTheTouchInTheSameStep() {
        String id = newId();
        createSession(id, Map.of());
        long token = granted(store.lock(id, LONG_LEASE));

        store.unlock(id, token, new Touch(id, now + 5_000));

        assertThat(store.load(id).orElseThrow().lastAccessedTime()).isEqualTo(now + 5_000);
        assertThat(node().lock(id, LONG_LEASE)).isInstanceOf(LockAttempt.Granted.class);
    }

    @Test
    void aRenamedSessionKeepsItsLockUnderTheNewId() {
        String oldId = newId();
        String newId = newId();
        createSession(oldId, Map.of());
        long token = granted(store.lock(oldId, LONG_LEASE));

        assertThat(store.changeId(oldId, newId)).isTrue();

        assertThat(node().lock(newId, LONG_LEASE)).isInstanceOf(LockAttempt.Held.class);
        assertThat(store.write(update(newId).set("a", "1").build(), new Fence(token, true))).isEqualTo(WriteResult.written(2));
        assertThat(node().lock(newId, LONG_LEASE)).isInstanceOf(LockAttempt.Granted.class);
    }

    @Test
    void aDeletedSessionTakesItsLockWithIt() {
        String id = newId();
        createSession(id, Map.of());
        granted(store.lock(id, LONG_LEASE));

        assertThat(store.delete(id)).isTrue();
        assertThat(store.lock(id, LONG_LEASE)).isEqualTo(LockAttempt.MISSING);
        createSession(id, Map.of());
        assertThat(node().lock(id, LONG_LEASE)).isInstanceOf(LockAttempt.Granted.class);
    }

    @Test
    void ofManyNodesAskingAtOnceExactlyOneIsGranted() throws Exception {
        String id = newId();
        createSession(id, Map.of());
        List<SessionStore> nodes = List.of(store, node(), node());
        int attempts = 12;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<LockAttempt>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                SessionStore node = nodes.get(i % nodes.size());
                answers.add(pool.submit(() -> {
                    start.await();
                    return node.lock(id, LONG_LEASE);
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<LockAttempt> answer : answers) {
                granted += answer.get() instanceof LockAttempt.Granted ? 1 : 0;
            }
            assertThat(granted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLeaseMustBePositive() {
        String id = newId();
        createSession(id, Map.of());
        assertThatThrownBy(() -> store.lock(id, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.renewLock(id, 1, -5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStoresClockIsReadableAndAgreesWithThisMachinesWithinSeconds() {
        long before = System.currentTimeMillis();
        long first = store.storeTimeMillis();
        long second = node().storeTimeMillis();
        // Every server of these tests runs on this machine, whose clock they share.
        assertThat(first).isBetween(before - 5_000, System.currentTimeMillis() + 5_000);
        assertThat(second).isGreaterThanOrEqualTo(first - 1_000);
    }

    private static long granted(LockAttempt attempt) {
        assertThat(attempt).isInstanceOf(LockAttempt.Granted.class);
        return ((LockAttempt.Granted) attempt).token();
    }

    /** Asks until the lease of the current holder ran out and {@code node} is granted the lock. */
    private static long awaitGrant(SessionStore node, String id) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (node.lock(id, LONG_LEASE) instanceof LockAttempt.Granted granted) {
                return granted.token();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the lease of a " + SHORT_LEASE + " ms lock did not run out within 10 s");
    }
}
