package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.testkit.InMemorySessionStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a write's result means for the local copies. */
class StoreWritesTest {

    private final String backend = "writes-" + UUID.randomUUID();
    private final InMemorySessionStore store = InMemorySessionStore.open(backend);
    private final ClusteredSessionManager manager = new ClusteredSessionManager();
    private final LocalCopies copies = manager.copies();
    private final StoreWrites writes = new StoreWrites(store, copies);

    @AfterEach
    void clear() {
        InMemorySessionStore.clear(backend);
    }

    @Test
    void aWriteThroughAReplacedCopyMakesTheRegisteredCopyReload() {
        ClusteredSession old = new ClusteredSession(manager);
        old.setId("S1", false);
        writes.write(write(old, true, "a"));
        SessionRecord loaded = store.load("S1").orElseThrow();

        // A request still uses the old copy (it was marked stale); the next request reloaded it as a new copy.
        ClusteredSession reloaded = new ClusteredSession(manager);
        reloaded.loadFrom(loaded, Map.of(), Map.of(), AuthState.NONE);
        copies.unregister(old);
        copies.register(reloaded, "S1");
        assertThat(copies.get("S1")).isSameAs(reloaded);

        // The first request ends and writes through the old copy: the new copy does not hold that write.
        writes.write(write(old, false, "b"));
        assertThat(reloaded.isStale()).isTrue();

        // A copy that already holds the latest version is left alone.
        ClusteredSession current = new ClusteredSession(manager);
        copies.unregister(reloaded);
        current.loadFrom(store.load("S1").orElseThrow(), Map.of(), Map.of(), AuthState.NONE);
        copies.register(current, "S1");
        writes.write(write(current, false, "c"));
        assertThat(current.isStale()).isFalse();
    }

    @Test
    void aFencedWriteFailsAndLeavesTheCopyUsableForTheRequestsStillUsingItButUnregistered() {
        ClusteredSession session = new ClusteredSession(manager);
        session.setValid(true);
        session.setId("S1", false);
        writes.write(write(session, true, "a"));
        long stale = ((io.sessioncluster.core.LockAttempt.Granted) store.lock("S1", 1)).token();
        Await.until(java.time.Duration.ofSeconds(5), () -> store.lock("S1", 60_000),
                a -> a instanceof io.sessioncluster.core.LockAttempt.Granted, "another node's grant");

        StoreWrites counted = new StoreWrites(store, copies, manager.counters());
        assertThatThrownBy(() -> counted.write(write(session, false, "b").fenced(new Fence(stale, true))))
                .isInstanceOf(FencedWriteException.class);

        // Another request of this node may still use the copy (it joined the lost lock): it must find its session,
        // and its own write is refused the same way, rather than skipped unseen with a 200.
        assertThat(session.isUsable()).isTrue();
        assertThat(session.isStale()).isTrue();
        assertThat(copies.get("S1")).isNull();
        assertThat(store.load("S1").orElseThrow().attributes()).doesNotContainKey("b");
        assertThat(manager.getStatistics().locksLost()).isEqualTo(1);
    }

    @Test
    void aFailedWriteGivesItsChangesBackAndLogsOnce() {
        ClusteredSession session = new ClusteredSession(new ClusteredSessionManager());
        session.setId("S1", false);
        PendingWrite failed = write(session, true, "a");
        assertThat(session.hasUnsentChanges()).isFalse();
        try (LogCapture log = new LogCapture(StoreWrites.class.getName())) {
            StoreWrites.failed(failed, new StoreException("corrupt session record S1: boom"));
            StoreWrites.failed(failed, new IllegalStateException("a bug"));
            assertThat(log.texts()).hasSize(2);
            assertThat(log.texts().get(0)).contains("boom").doesNotContain("\n");
            assertThat(log.texts().get(1)).contains("a bug");
        }
        // The next request's write carries them again.
        assertThat(session.hasUnsentChanges()).isTrue();
        assertThat(session.isUnstored()).isTrue();
    }

    @Test
    void aBatchHandlesEachResultAsAWriteWouldAndOneFailureSparesTheOthers() {
        store.write(new ChangeSet("D", true, 1, 1, 60, Map.of(), Set.of()));
        ForwardingStore corruptC = new ForwardingStore(store) {
            @Override
            public WriteResult write(ChangeSet changes, Fence fence) {
                if (changes.id().equals("C")) {
                    throw new StoreException("corrupt session record C: boom");
                }
                return super.write(changes, fence);
            }
        };
        StoreWrites batched = new StoreWrites(corruptC, copies, manager.counters());
        ClusteredSession a = session("A");
        ClusteredSession b = session("B");
        ClusteredSession c = session("C");
        ClusteredSession d = session("D");
        copies.register(b, "B");

        List<PendingWrite> again = batched.writeAll(List.of(write(a, "A", true, "x"), write(b, "B", false, "x"),
                write(c, "C", true, "x"), write(d, "D", true, "x")));

        assertThat(again).isEmpty();
        assertThat(a.storedVersion()).isEqualTo(1);
        assertThat(copies.get("B")).as("a session gone from the store is dropped here").isNull();
        assertThat(c.hasUnsentChanges()).as("the failed entry's changes go back to its session").isTrue();
        assertThat(d.storedVersion()).as("a create that found the id is written as an update").isEqualTo(2);
        assertThat(store.load("A")).isPresent();
        assertThat(store.load("B")).isEmpty();
        assertThat(store.load("C")).isEmpty();
        assertThat(manager.getStatistics().writeFailures()).isEqualTo(1);
        assertThat(manager.getStatistics().writes()).isEqualTo(4); // A, B, D and D again as an update
    }

    private ClusteredSession session(String id) {
        ClusteredSession session = new ClusteredSession(manager);
        session.setValid(true);
        session.setId(id, false);
        return session;
    }

    private static PendingWrite write(ClusteredSession session, String id, boolean created, String name) {
        Map<String, byte[]> set = Map.of(name, new byte[] {1});
        ChangeSet changes = new ChangeSet(id, created, 1, System.currentTimeMillis(), 60, set, Set.of());
        return new PendingWrite(session, changes, new SessionChanges(set.keySet(), Set.of(), created, false));
    }

    private static PendingWrite write(ClusteredSession session, boolean created, String name) {
        Map<String, byte[]> set = Map.of(name, new byte[] {1});
        ChangeSet changes = new ChangeSet("S1", created, 1, System.currentTimeMillis(), 60, set, Set.of());
        return new PendingWrite(session, changes, new SessionChanges(set.keySet(), Set.of(), created, false));
    }
}
