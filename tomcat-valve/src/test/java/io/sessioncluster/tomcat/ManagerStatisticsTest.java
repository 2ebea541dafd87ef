package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.StoreUnavailableException;
import io.sessioncluster.testkit.InMemorySessionStore;

import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-only view an embedding (Spring Boot) uses: statistics, validation before start, the store ping. */
class ManagerStatisticsTest {

    private final String backend = "stats-" + UUID.randomUUID();
    private final InMemorySessionStore store = InMemorySessionStore.open(backend);

    @AfterEach
    void clear() {
        InMemorySessionStore.clear(backend);
    }

    @Test
    void writesBytesFailuresAndFailoversAreCounted() {
        ClusteredSessionManager manager = new ClusteredSessionManager();
        StoreWrites writes = new StoreWrites(store, manager.copies(), manager.counters());
        ClusteredSession session = new ClusteredSession(manager);
        session.setId("S1", false);
        writes.write(write(session, true, Map.of("a", new byte[3])));
        writes.write(write(session, false, Map.of("b", new byte[5], "c", new byte[2])));

        StoreWrites failing = new StoreWrites(new ForwardingStore(store) {
            @Override
            public WriteResult write(ChangeSet changes, Fence fence) {
                throw new StoreUnavailableException("down", null);
            }
        }, manager.copies(), manager.counters());
        assertThatThrownBy(() -> failing.write(write(session, false, Map.of("d", new byte[1]))))
                .isInstanceOf(StoreUnavailableException.class);
        manager.tookOver("S1");

        ManagerStatistics stats = manager.getStatistics();
        assertThat(stats.writes()).isEqualTo(2);
        assertThat(stats.bytesWritten()).isEqualTo(10);
        assertThat(stats.writeFailures()).isEqualTo(1);
        assertThat(stats.failovers()).isEqualTo(1);
        assertThat(stats.writeNanos()).isPositive();
        assertThat(stats.activeSessions()).isEqualTo(1); // setId registered it with the manager
    }

    @Test
    void twoManagersFiguresAddUpAndTheStoreIsUpOnlyIfItIsForBoth() {
        ManagerStatistics a = new ManagerStatistics(1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                Map.of(StoreOperation.LOAD, new OperationStatistics(10, 1, 100, 1.0, 2.0, 3.0, 4.0)), 11, 12, 13, 14,
                15, 16, 17, 18, 19, true, 5_000, 1);
        ManagerStatistics b = new ManagerStatistics(1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                Map.of(StoreOperation.LOAD, new OperationStatistics(5, 0, 50, 2.0, 1.0, 6.0, 3.0)), 1, 1, 1, 1, 1, 1,
                1, 1, 1, false, 7_000, 3);
        ManagerStatistics sum = a.plus(b);
        assertThat(sum.activeSessions()).isEqualTo(2);
        assertThat(sum.locksLost()).isEqualTo(11);
        assertThat(sum.bytesRead()).isEqualTo(12);
        assertThat(sum.writeUnavailableResponses()).isEqualTo(20);
        assertThat(sum.operation(StoreOperation.LOAD)).isEqualTo(new OperationStatistics(15, 1, 150, 2.0, 2.0, 6.0, 4.0));
        assertThat(sum.operation(StoreOperation.PAGE)).isEqualTo(OperationStatistics.NONE);
        assertThat(sum.storeAvailable()).isFalse();
        assertThat(sum.storeStateSinceMillis()).as("down since b's time").isEqualTo(7_000);
        assertThat(sum.storeOutages()).isEqualTo(4);
        assertThat(a.plus(ManagerStatistics.none(9_000)).storeStateSinceMillis()).as("up since the later").isEqualTo(9_000);
    }

    @Test
    void settingsAreValidatedBeforeStartWithTheStartMessage() throws LifecycleException {
        ClusteredSessionManager manager = new ClusteredSessionManager();
        manager.setProperty("store", "redis");
        manager.setProperty("writeMode", "often");
        manager.setProperty("maxActiveSessions", "many");
        assertThatThrownBy(manager::validateSettings)
                .isInstanceOf(LifecycleException.class)
                .hasMessageContaining("Invalid session-cluster configuration:")
                .hasMessageContaining("writeMode [often]")
                .hasMessageContaining("maxActiveSessions");

        ClusteredSessionManager good = new ClusteredSessionManager();
        good.setProperty("store", "redis");
        good.setProperty("redisUri", "redis://127.0.0.1:6379");
        good.validateSettings(); // no exception, nothing opened
    }

    @Test
    void pingingAStoppedManagerSaysSo() {
        assertThatThrownBy(() -> new ClusteredSessionManager().pingStore())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
    }

    private static PendingWrite write(ClusteredSession session, boolean created, Map<String, byte[]> set) {
        ChangeSet changes = new ChangeSet("S1", created, 1, System.currentTimeMillis(), 60, set, Set.of());
        return new PendingWrite(session, changes, new SessionChanges(set.keySet(), Set.of(), created, false));
    }
}
