package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.testkit.InMemorySessionStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Write-behind over the in-memory store: order, coalescing, a full queue, an outage, settling before an id change. */
class AsyncSessionWriterTest {

    private final String backend = "async-" + UUID.randomUUID();
    private final InMemorySessionStore store = InMemorySessionStore.open(backend);
    private final List<ClusteredSession> dropped = new CopyOnWriteArrayList<>();
    private final ClusteredSession session = new ClusteredSession(new ClusteredSessionManager());
    private AsyncSessionWriter writer;

    @AfterEach
    void close() {
        InMemorySessionStore.simulateOutage(backend, false);
        if (writer != null) {
            writer.close();
        }
        InMemorySessionStore.clear(backend);
    }

    private AsyncSessionWriter writer(int capacity, long offerTimeoutMillis) {
        writer = new AsyncSessionWriter(new StoreWrites(store, new LocalCopies(dropped::add)), capacity, offerTimeoutMillis,
                TimeUnit.MILLISECONDS, "test-writer");
        return writer;
    }

    @Test
    void writesOfOneSessionLandInOrderAndAllArrive() {
        AsyncSessionWriter w = writer(100, 1_000);
        w.submit(write("S1", true, Map.of("n", bytes(0)), Set.of()));
        for (int i = 1; i <= 50; i++) {
            w.submit(write("S1", false, Map.of("n", bytes(i)), Set.of()));
        }
        SessionRecord record = Await.until(Duration.ofSeconds(10), () -> store.load("S1").orElse(null),
                r -> r != null && r.attributes().get("n")[0] == 50, "the last write");
        assertThat(record.version()).isBetween(1L, 51L);
        assertThat(w.hasPending("S1")).isFalse();
        assertThat(session.storedVersion()).isEqualTo(record.version());
    }

    @Test
    void aFullQueueMakesTheRequestWaitThenDropsAndGivesTheChangesBack() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        writer = new AsyncSessionWriter(new StoreWrites(new GatedStore(store, gate), new LocalCopies(dropped::add)), 1, 200,
                TimeUnit.MILLISECONDS, "test-writer");
        AsyncSessionWriter w = writer;
        w.submit(write("S1", true, Map.of("a", bytes(1)), Set.of()));
        // S1 is in flight and blocked; S2 fills the queue; S3 finds no room.
        Await.until(Duration.ofSeconds(5), () -> w.hasPending("S1") && w.queuedSessions() == 0, p -> p,
                "S1 in flight");
        w.submit(write("S2", true, Map.of("b", bytes(1)), Set.of()));
        ClusteredSession third = new ClusteredSession(new ClusteredSessionManager());
        long started = System.nanoTime();
        w.submit(new PendingWrite(third, new ChangeSet("S3", true, 1, 1, 60, Map.of("c", bytes(1)), Set.of()),
                new SessionChanges(Set.of("c"), Set.of(), true, false)));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(w.droppedWrites()).isEqualTo(1);
        assertThat(third.hasUnsentChanges()).isTrue();

        gate.countDown();
        Await.until(Duration.ofSeconds(10), () -> store.load("S2").isPresent(), p -> p, "the queue to drain");
        assertThat(store.load("S1")).isPresent();
        assertThat(store.load("S3")).isEmpty();
    }

    @Test
    void aWriteThatFindsTheStoreDownIsRetriedUntilItLands() {
        InMemorySessionStore.simulateOutage(backend, true);
        AsyncSessionWriter w = writer(10, 1_000);
        w.submit(write("S1", true, Map.of("a", bytes(1)), Set.of()));
        Await.sleep(Duration.ofMillis(700));
        w.submit(write("S1", false, Map.of("b", bytes(2)), Set.of()));
        InMemorySessionStore.simulateOutage(backend, false);
        SessionRecord record = Await.until(Duration.ofSeconds(10), () -> store.load("S1").orElse(null),
                r -> r != null && r.attributes().containsKey("b"), "the retried write");
        assertThat(record.attributes()).containsOnlyKeys("a", "b");
    }

    @Test
    void settleWritesWhatIsQueuedForTheSessionOnTheCallersThread() {
        InMemorySessionStore.simulateOutage(backend, true);
        AsyncSessionWriter w = writer(10, 1_000);
        w.submit(write("S1", true, Map.of("a", bytes(1)), Set.of()));
        InMemorySessionStore.simulateOutage(backend, false);
        w.settle("S1", false);
        assertThat(store.load("S1")).isPresent();
        assertThat(w.hasPending("S1")).isFalse();
    }

    @Test
    void closeWritesWhatIsQueued() {
        AsyncSessionWriter w = writer(1_000, 1_000);
        for (int i = 0; i < 200; i++) {
            w.submit(write("S" + i, true, Map.of("a", bytes(i)), Set.of()));
        }
        w.close();
        writer = null;
        assertThat(InMemorySessionStore.size(backend)).isEqualTo(200);
    }

    /** Holds every write until the gate opens: a store that is slow, not down. */
    private static final class GatedStore extends ForwardingStore {
        private final CountDownLatch gate;

        GatedStore(SessionStore delegate, CountDownLatch gate) {
            super(delegate);
            this.gate = gate;
        }

        @Override
        public WriteResult write(ChangeSet changes, Fence fence) {
            try {
                gate.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.write(changes, fence);
        }
    }

    private PendingWrite write(String id, boolean created, Map<String, byte[]> set, Set<String> removed) {
        ChangeSet changes = new ChangeSet(id, created, 1, System.currentTimeMillis(), 60, set, removed);
        return new PendingWrite(session, changes, new SessionChanges(set.keySet(), removed, created, false));
    }

    private static byte[] bytes(int value) {
        return new byte[] {(byte) value};
    }
}
