package io.sessioncluster.testkit;

import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.store.EvictionListener;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The eviction rules of {@link SessionStore}: {@code delete}, {@code changeId} (old id), won expiry claims and
 * {@code announceEviction} reach every other subscribed node, never the node that caused them. Delivery may be
 * asynchronous, so every wait polls, bounded by {@link #WAIT_MILLIS}. Part of {@link SessionStoreContract}.
 */
public abstract class EvictionContract extends PrincipalIndexContract {

    private static final long WAIT_MILLIS = 5_000;

    @Test
    void deleteChangeIdAndAnnouncementReachOtherNodesButNeverTheirOwn() {
        EvictionRecorder a = subscribe(store);
        SessionStore nodeB = node();
        EvictionRecorder b = subscribe(nodeB);
        awaitConnected(store, a, nodeB, b);
        String deleted = newId();
        String renamed = newId();
        String announced = newId();
        createSession(deleted, Map.of());
        createSession(renamed, Map.of());

        assertThat(store.delete(deleted)).isTrue();
        assertThat(store.changeId(renamed, newId())).isTrue();
        store.announceEviction(announced);

        awaitEvicted(b, deleted, renamed, announced);
        assertNoneReceived(nodeB, a, deleted, renamed, announced);
    }

    @Test
    void wonExpiryClaimsReachOtherNodes() {
        EvictionRecorder a = subscribe(store);
        SessionStore nodeB = node();
        EvictionRecorder b = subscribe(nodeB);
        awaitConnected(store, a, nodeB, b);
        String claimedOne = newId();
        String swept = newId();
        create(claimedOne).maxInactive(1).writeTo(store);
        create(swept).maxInactive(1).writeTo(store);

        assertThat(store.claimIfExpired(claimedOne, now + 2000)).isInstanceOf(ExpiryClaim.Claimed.class);
        assertThat(store.claimExpired(now + 2000, 10)).hasSize(1);

        awaitEvicted(b, claimedOne, swept);
        assertNoneReceived(nodeB, a, claimedOne, swept);
    }

    /** Records what a node's listener receives. */
    protected static final class EvictionRecorder implements EvictionListener {
        final List<String> evicted = new CopyOnWriteArrayList<>();
        final AtomicInteger missed = new AtomicInteger();

        @Override
        public void evicted(String id) {
            evicted.add(id);
        }

        @Override
        public void missedEvictions() {
            missed.incrementAndGet();
        }
    }

    protected static EvictionRecorder subscribe(SessionStore node) {
        EvictionRecorder recorder = new EvictionRecorder();
        node.subscribeEvictions(recorder);
        return recorder;
    }

    /**
     * Waits until each node hears the other (a store may subscribe in the background), then forgets the probes.
     */
    protected static void awaitConnected(SessionStore nodeA, EvictionRecorder a, SessionStore nodeB, EvictionRecorder b) {
        awaitHears(nodeB, a);
        awaitHears(nodeA, b);
        a.evicted.clear();
        b.evicted.clear();
    }

    /** Announces probes from {@code sender} until {@code receiver} gets one: its subscription is live. */
    protected static void awaitHears(SessionStore sender, EvictionRecorder receiver) {
        String probe = newId();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!receiver.evicted.contains(probe)) {
            if (System.nanoTime() - deadline > 0) {
                fail("no eviction announcement arrived within " + WAIT_MILLIS + " ms");
            }
            sender.announceEviction(probe);
            pause(50);
        }
    }

    protected static void awaitEvicted(EvictionRecorder receiver, String... ids) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!receiver.evicted.containsAll(List.of(ids))) {
            if (System.nanoTime() - deadline > 0) {
                assertThat(receiver.evicted).as("evictions received within " + WAIT_MILLIS + " ms").contains(ids);
            }
            pause(10);
        }
    }

    /**
     * Sends a marker from the other node and waits for it: a channel delivers in order, so anything this node
     * published earlier and wrongly received itself has arrived by then. (Late probes may arrive too: they are
     * not checked.)
     */
    private static void assertNoneReceived(SessionStore other, EvictionRecorder own, String... ownIds) {
        String marker = newId();
        other.announceEviction(marker);
        awaitEvicted(own, marker);
        assertThat(own.evicted).doesNotContain(ownIds);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
