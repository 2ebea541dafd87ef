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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Write-behind over the in-memory store: order, coalescing, a full queue, an outage, settling before an id change;
 * several writers (a slow session holds back only its own writer, each session's writes in order, one bound for
 * all) and batches (one round trip for many queued sessions).
 */
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
        StatisticsCounters counters = new StatisticsCounters();
        writer = new AsyncSessionWriter(new StoreWrites(new GatedStore(store, gate), new LocalCopies(dropped::add),
                counters), 1, 200, TimeUnit.MILLISECONDS, "test-writer");
        AsyncSessionWriter w = writer;
        counters.queue(w::queuedSessions);
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
        ManagerStatistics stats = counters.snapshot(0);
        assertThat(stats.asyncQueueDepth()).as("S2 waits in the queue").isEqualTo(1);
        assertThat(stats.asyncQueueWaits()).as("S3 waited for room").isEqualTo(1);
        assertThat(Duration.ofNanos(stats.asyncQueueWaitNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(stats.asyncWritesDropped()).isEqualTo(1);

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

    @Test
    void aSlowWriteOfOneSessionDoesNotHoldBackAnotherSessionsWrite() {
        CountDownLatch gate = new CountDownLatch(1);
        String slow = "SLOW";
        writer = new AsyncSessionWriter(new StoreWrites(new StallingStore(store, slow, gate), new LocalCopies(dropped::add)),
                100, 4, 64, 1_000, TimeUnit.MILLISECONDS, "test-writer");
        AsyncSessionWriter w = writer;
        String fast = otherShardThan(w, slow);
        try {
            w.submit(write(slow, true, Map.of("a", bytes(1)), Set.of()));
            Await.until(Duration.ofSeconds(5), () -> w.hasPending(slow) && w.queuedSessions() == 0, p -> p,
                    "the slow write in flight");
            w.submit(write(fast, true, Map.of("b", bytes(2)), Set.of()));

            Await.until(Duration.ofSeconds(5), () -> store.load(fast).isPresent(), p -> p,
                    "the other session's write while the slow one hangs");
            assertThat(store.load(slow)).isEmpty();
            assertThat(w.hasPending(slow)).isTrue();
        } finally {
            gate.countDown();
        }
        Await.until(Duration.ofSeconds(10), () -> store.load(slow).isPresent(), p -> p, "the slow write");
    }

    @Test
    void everySessionsWritesLandInOrderWithSeveralWriters() throws Exception {
        RecordingStore recording = new RecordingStore(store);
        writer = new AsyncSessionWriter(new StoreWrites(recording, new LocalCopies(dropped::add)), 1_000, 4, 8, 1_000,
                TimeUnit.MILLISECONDS, "test-writer");
        AsyncSessionWriter w = writer;
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            ids.add("ORDER" + s);
        }
        Thread[] requests = new Thread[ids.size()];
        for (int s = 0; s < ids.size(); s++) {
            String id = ids.get(s);
            ClusteredSession own = new ClusteredSession(new ClusteredSessionManager());
            requests[s] = new Thread(() -> {
                for (int i = 0; i <= 60; i++) {
                    w.submit(write(own, id, i == 0, Map.of("n", bytes(i)), Set.of()));
                    if (i % 7 == 0) {
                        Thread.yield();
                    }
                }
            });
            requests[s].start();
        }
        for (Thread t : requests) {
            t.join();
        }
        for (String id : ids) {
            Await.until(Duration.ofSeconds(10), () -> store.load(id).orElse(null),
                    r -> r != null && r.attributes().get("n")[0] == 60, "the last write of " + id);
            List<Integer> sent = recording.valuesOf(id);
            assertThat(sent).as(id + ": values in the order they were written").isSorted().doesNotHaveDuplicates()
                    .endsWith(60);
        }
        assertThat(w.writers()).isEqualTo(4);
        Set<Integer> shardsUsed = new HashSet<>();
        ids.forEach(id -> shardsUsed.add(w.shardIndex(id)));
        assertThat(shardsUsed).as("the sessions spread over the writers").hasSizeGreaterThan(1);
    }

    @Test
    void oneRoundTripCarriesManyQueuedSessions() {
        CountDownLatch gate = new CountDownLatch(1);
        RecordingStore recording = new RecordingStore(new StallingStore(store, "FIRST", gate));
        writer = new AsyncSessionWriter(new StoreWrites(recording, new LocalCopies(dropped::add)), 1_000, 1, 64, 1_000,
                TimeUnit.MILLISECONDS, "test-writer");
        AsyncSessionWriter w = writer;
        w.submit(write("FIRST", true, Map.of("a", bytes(1)), Set.of()));
        Await.until(Duration.ofSeconds(5), () -> w.hasPending("FIRST") && w.queuedSessions() == 0, p -> p,
                "the first write in flight");
        for (int i = 0; i < 100; i++) {
            w.submit(write("MANY" + i, true, Map.of("a", bytes(i)), Set.of()));
        }
        assertThat(w.queuedSessions()).isEqualTo(100);
        gate.countDown();

        Await.until(Duration.ofSeconds(10), () -> InMemorySessionStore.size(backend), n -> n == 101, "every session");
        assertThat(recording.batchSizes()).containsExactly(1, 64, 36);
        assertThat(w.queuedSessions()).isZero();
    }

    @Test
    void theQueueBoundHoldsForAllWritersTogether() {
        CountDownLatch gate = new CountDownLatch(1);
        writer = new AsyncSessionWriter(new StoreWrites(new GatedStore(store, gate), new LocalCopies(dropped::add)), 3,
                4, 64, 100, TimeUnit.MILLISECONDS, "test-writer");
        AsyncSessionWriter w = writer;
        try {
            for (int i = 0; i < 40; i++) {
                w.submit(write("BOUND" + i, true, Map.of("a", bytes(i)), Set.of()));
            }
            // one batch in flight per writer at most (the gate holds it), and three sessions queued in all
            Await.until(Duration.ofSeconds(5), w::queuedSessions, n -> n == 3, "three sessions queued in all");
            assertThat(w.droppedWrites()).isBetween(1L, 40L - 3 - 1);
        } finally {
            gate.countDown();
        }
    }

    /** An id that another writer than {@code id}'s owns. */
    private static String otherShardThan(AsyncSessionWriter w, String id) {
        for (int i = 0; ; i++) {
            String candidate = "FAST" + i;
            if (w.shardIndex(candidate) != w.shardIndex(id)) {
                return candidate;
            }
        }
    }

    /** Holds the writes of one session until the gate opens: one slow write among many. */
    private static final class StallingStore extends ForwardingStore {
        private final String stalled;
        private final CountDownLatch gate;

        StallingStore(SessionStore delegate, String stalled, CountDownLatch gate) {
            super(delegate);
            this.stalled = stalled;
            this.gate = gate;
        }

        @Override
        public WriteResult write(ChangeSet changes, Fence fence) {
            if (changes.id().equals(stalled)) {
                try {
                    gate.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.write(changes, fence);
        }
    }

    /** Records every writeAll: its size, and the value of attribute {@code n} each session's change set carried. */
    private static final class RecordingStore extends ForwardingStore {
        private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private final Map<String, List<Integer>> values = new ConcurrentHashMap<>();

        RecordingStore(SessionStore delegate) {
            super(delegate);
        }

        @Override
        public List<WriteResult> writeAll(List<ChangeSet> changes) {
            batchSizes.add(changes.size());
            for (ChangeSet c : changes) {
                byte[] n = c.setAttributes().get("n");
                if (n != null) {
                    values.computeIfAbsent(c.id(), k -> new CopyOnWriteArrayList<>()).add((int) n[0]);
                }
            }
            return super.writeAll(changes);
        }

        List<Integer> batchSizes() {
            return batchSizes;
        }

        List<Integer> valuesOf(String id) {
            return values.getOrDefault(id, List.of());
        }
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
        return write(session, id, created, set, removed);
    }

    private static PendingWrite write(ClusteredSession session, String id, boolean created, Map<String, byte[]> set,
                                      Set<String> removed) {
        ChangeSet changes = new ChangeSet(id, created, 1, System.currentTimeMillis(), 60, set, removed);
        return new PendingWrite(session, changes, new SessionChanges(set.keySet(), removed, created, false));
    }

    private static byte[] bytes(int value) {
        return new byte[] {(byte) value};
    }
}
