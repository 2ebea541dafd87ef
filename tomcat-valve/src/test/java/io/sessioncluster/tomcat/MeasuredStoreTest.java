package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.EvictionListener;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;
import io.sessioncluster.testkit.InMemorySessionStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every store call counted and timed under its kind, failures as failures, and the store's state from outcomes. */
class MeasuredStoreTest {

    private final String backend = "measured-" + UUID.randomUUID();
    private final InMemorySessionStore memory = InMemorySessionStore.open(backend);
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong wallClock = new AtomicLong(1_700_000_000_000L);
    private final StoreMeters meters = new StoreMeters(nanos::get, wallClock::get);
    /** What the next call of the faulty store does: null passes it through. */
    private final AtomicReference<RuntimeException> fault = new AtomicReference<>();
    /** How long the next call takes, in the meters' clock. */
    private volatile long callMillis;
    private final MeasuredStore store = new MeasuredStore(new ForwardingStore(memory) {
        @Override
        public java.util.Optional<SessionRecord> load(String id) {
            pass();
            return super.load(id);
        }

        @Override
        public java.util.OptionalLong version(String id) {
            pass();
            return super.version(id);
        }

        @Override
        public WriteResult write(ChangeSet changes, Fence fence) {
            pass();
            return super.write(changes, fence);
        }

        @Override
        public void touch(java.util.Collection<Touch> touches) {
            pass();
            super.touch(touches);
        }

        @Override
        public void announceEviction(String id) {
            memory.announceEviction(id);
        }

        @Override
        public void subscribeEvictions(EvictionListener listener) {
            memory.subscribeEvictions(listener);
        }
    }, meters);

    private void pass() {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(callMillis));
        RuntimeException e = fault.getAndSet(null);
        if (e != null) {
            throw e;
        }
    }

    @AfterEach
    void clear() {
        InMemorySessionStore.clear(backend);
    }

    private OperationStatistics of(StoreOperation operation) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2)); // past the figures' one-second cache
        return meters.statistics().get(operation);
    }

    @Test
    void eachCallIsCountedAndTimedUnderItsKindAndLoadsCountTheBytesRead() {
        callMillis = 3;
        store.write(new ChangeSet("S1", true, 1, wallClock.get(), 60, Map.of("a", new byte[7], "b", new byte[5]),
                Set.of()), Fence.NONE);
        callMillis = 2;
        assertThat(store.load("S1")).isPresent();
        assertThat(store.load("missing")).isEmpty();
        store.version("S1");
        store.touch(List.of(new Touch("S1", wallClock.get())));

        OperationStatistics writes = of(StoreOperation.WRITE);
        assertThat(writes.calls()).isEqualTo(1);
        assertThat(writes.failures()).isZero();
        assertThat(writes.totalNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
        assertThat(writes.p99Millis()).isCloseTo(3, within(0.2));
        OperationStatistics loads = of(StoreOperation.LOAD);
        assertThat(loads.calls()).isEqualTo(2);
        assertThat(loads.totalNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(4));
        assertThat(loads.p50Millis()).isCloseTo(2, within(0.15));
        assertThat(meters.bytesRead()).as("the record found; a miss reads nothing").isEqualTo(12);
        assertThat(of(StoreOperation.VERSION).calls()).isEqualTo(1);
        assertThat(of(StoreOperation.TOUCH).calls()).isEqualTo(1);
        assertThat(of(StoreOperation.DELETE)).isEqualTo(OperationStatistics.NONE);
    }

    @Test
    void aFailingCallCountsAsAFailureAndIsStillTimedAndRethrown() {
        callMillis = 5;
        StoreUnavailableException down = new StoreUnavailableException("connection refused", null);
        fault.set(down);
        assertThatThrownBy(() -> store.load("S1")).isSameAs(down);
        fault.set(new StoreException("a field that is not a number"));
        assertThatThrownBy(() -> store.version("S1")).isInstanceOf(StoreException.class);

        OperationStatistics loads = of(StoreOperation.LOAD);
        assertThat(loads.calls()).isEqualTo(1);
        assertThat(loads.failures()).isEqualTo(1);
        assertThat(loads.totalNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(loads.maxMillis()).isCloseTo(5, within(0.35));
        assertThat(of(StoreOperation.VERSION).failures()).isEqualTo(1);
    }

    @Test
    void theStoreIsDownFromTheFirstUnavailableCallAndUpFromTheNextAnswerWithTheTimeOfEach() {
        long created = wallClock.get();
        assertThat(meters.availability.state()).isEqualTo(new StoreAvailability.State(true, created, 0));

        wallClock.addAndGet(60_000);
        fault.set(new StoreUnavailableException("timeout", null));
        assertThatThrownBy(() -> store.load("S1")).isInstanceOf(StoreUnavailableException.class);
        long wentDown = wallClock.get();
        wallClock.addAndGet(5_000);
        fault.set(new StoreUnavailableException("still down", null));
        assertThatThrownBy(() -> store.version("S1")).isInstanceOf(StoreUnavailableException.class);
        assertThat(meters.availability.state()).as("down since the first failure, not the latest")
                .isEqualTo(new StoreAvailability.State(false, wentDown, 1));

        wallClock.addAndGet(25_000);
        store.version("S1");
        assertThat(meters.availability.state()).isEqualTo(new StoreAvailability.State(true, wentDown + 30_000, 1));

        wallClock.addAndGet(1_000);
        fault.set(new StoreException("corrupt record"));
        assertThatThrownBy(() -> store.load("S1")).isInstanceOf(StoreException.class);
        assertThat(meters.availability.state().available()).as("a store that answers garbage is up").isTrue();

        fault.set(new StoreUnavailableException("again", null));
        assertThatThrownBy(() -> store.touch(List.of())).isInstanceOf(StoreUnavailableException.class);
        assertThat(meters.availability.state().outages()).isEqualTo(2);
    }

    @Test
    void evictionsAndGapsTheStoreDeliversAreCountedAndPassedOn() {
        List<String> heard = new ArrayList<>();
        SessionStore announcer = InMemorySessionStore.open(backend);
        store.subscribeEvictions(new EvictionListener() {
            @Override
            public void evicted(String id) {
                heard.add(id);
            }

            @Override
            public void missedEvictions() {
                heard.add("gap");
            }
        });
        announcer.announceEviction("S9");
        store.announceEviction("S8"); // this node's own: a call, not heard back
        InMemorySessionStore.simulateOutage(backend, true);
        InMemorySessionStore.simulateOutage(backend, false); // the channel was down: evictions may have been missed
        assertThat(heard).containsExactly("S9", "gap");
        assertThat(meters.evictionsReceived()).isEqualTo(1);
        assertThat(meters.evictionGaps()).isEqualTo(1);
        assertThat(of(StoreOperation.ANNOUNCE_EVICTION).calls()).isEqualTo(1);
    }

    @Test
    void expiryClaimsCountTheBytesOfTheClaimedRecords() {
        long past = wallClock.get() - 120_000;
        memory.write(new ChangeSet("E1", true, 1, past, 60, Map.of("x", new byte[9]), Set.of()));
        memory.write(new ChangeSet("E2", true, 1, past, 60, Map.of("y", new byte[4]), Set.of()));
        ExpiryClaim claim = store.claimIfExpired("E1", wallClock.get());
        assertThat(claim).isInstanceOf(ExpiryClaim.Claimed.class);
        assertThat(store.claimExpired(wallClock.get(), 10)).hasSize(1);
        assertThat(meters.bytesRead()).isEqualTo(13);
        assertThat(of(StoreOperation.CLAIM_IF_EXPIRED).calls()).isEqualTo(1);
        assertThat(of(StoreOperation.CLAIM_EXPIRED).calls()).isEqualTo(1);
    }
}
