package io.sessioncluster.tomcat;

import io.sessioncluster.core.store.StoreUnavailableException;
import io.sessioncluster.testkit.InMemorySessionStore;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class StoreClockTest {

    private final AtomicLong node = new AtomicLong(1_000_000);

    /** A store whose clock runs five minutes ahead of the node's, answering in {@code roundTrip} ms. */
    private ForwardingStore storeAhead(long aheadMillis, long roundTrip) {
        return new ForwardingStore(InMemorySessionStore.open("clock-test")) {
            @Override
            public long storeTimeMillis() {
                node.addAndGet(roundTrip / 2);
                long answer = node.get() + aheadMillis;
                node.addAndGet(roundTrip - roundTrip / 2);
                return answer;
            }
        };
    }

    @Test
    void aNodeFiveMinutesBehindTheStoreConvertsItsTimesBothWays() {
        StoreClock clock = new StoreClock(storeAhead(300_000, 4), node::get);

        assertThat(clock.measure()).isTrue();

        assertThat(clock.offsetMillis()).isEqualTo(300_000);
        assertThat(clock.now()).isEqualTo(node.get() + 300_000);
        assertThat(clock.toStore(2_000_000)).isEqualTo(2_300_000);
        assertThat(clock.toNode(2_300_000)).isEqualTo(2_000_000);
    }

    @Test
    void neverAndUnsetAreNotTimesAndStayAsTheyAre() {
        StoreClock clock = new StoreClock(storeAhead(-60_000, 0), node::get);
        clock.measure();

        assertThat(clock.toStore(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(clock.toNode(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(clock.toStore(0)).isZero();
        assertThat(clock.toNode(-1)).isEqualTo(-1);
    }

    @Test
    void aSlowAnswerSaysTooLittleAndLeavesTheOffsetAsItWas() {
        StoreClock clock = new StoreClock(storeAhead(300_000, StoreClock.MAX_ROUND_TRIP_MILLIS + 1), node::get);

        assertThat(clock.measure()).isFalse();

        assertThat(clock.offsetMillis()).isZero();
    }

    @Test
    void aStoreThatIsDownLeavesTheLastOffset() {
        AtomicLong ahead = new AtomicLong(120_000);
        ForwardingStore store = new ForwardingStore(InMemorySessionStore.open("clock-test")) {
            @Override
            public long storeTimeMillis() {
                if (ahead.get() < 0) {
                    throw new StoreUnavailableException("down", null);
                }
                return node.get() + ahead.get();
            }
        };
        StoreClock clock = new StoreClock(store, node::get);
        assertThat(clock.measure()).isTrue();
        ahead.set(-1);

        assertThat(clock.measure()).isFalse();

        assertThat(clock.offsetMillis()).isEqualTo(120_000);
    }

    @Test
    void withoutAStoreTheNodesClockIsTheClock() {
        StoreClock clock = StoreClock.local();

        assertThat(clock.measure()).isFalse();
        assertThat(clock.toStore(5_000)).isEqualTo(5_000);
    }

    @Test
    void noExpiryIsDecidedUntilAnOffsetWasMeasured() {
        AtomicLong roundTrip = new AtomicLong(StoreClock.MAX_ROUND_TRIP_MILLIS + 1);
        ForwardingStore store = new ForwardingStore(InMemorySessionStore.open("clock-test")) {
            @Override
            public long storeTimeMillis() {
                node.addAndGet(roundTrip.get());
                return node.get();
            }
        };
        StoreClock clock = new StoreClock(store, node::get);
        assertThat(clock.isMeasured()).as("before any reading").isFalse();

        assertThat(clock.measure()).isFalse();
        assertThat(clock.isMeasured()).as("after a slow reading").isFalse();

        roundTrip.set(2);
        assertThat(clock.measure()).isTrue();
        assertThat(clock.isMeasured()).isTrue();
        assertThat(StoreClock.local().isMeasured()).as("no store: the node's clock is the clock").isTrue();
    }

    @Test
    void atStartASlowFirstReadingIsTakenAgain() {
        AtomicLong readings = new AtomicLong();
        ForwardingStore warmingUp = new ForwardingStore(InMemorySessionStore.open("clock-test")) {
            @Override
            public long storeTimeMillis() {
                // The first two answers of a fresh connection are slow (class loading, the first round trip).
                node.addAndGet(readings.incrementAndGet() <= 2 ? StoreClock.MAX_ROUND_TRIP_MILLIS + 100 : 2);
                return node.get() + 300_000;
            }
        };
        StoreClock clock = new StoreClock(warmingUp, node::get);

        assertThat(clock.measureAtStart()).isTrue();

        assertThat(readings).hasValue(3);
        assertThat(clock.isMeasured()).isTrue();
        assertThat(clock.offsetMillis()).as("within half the 2 ms round trip").isBetween(299_999L, 300_001L);
    }

    @Test
    void atStartAStoreThatIsDownIsAskedOnceAndLeftToTheBackgroundMeasurements() {
        AtomicLong readings = new AtomicLong();
        ForwardingStore down = new ForwardingStore(InMemorySessionStore.open("clock-test")) {
            @Override
            public long storeTimeMillis() {
                readings.incrementAndGet();
                throw new StoreUnavailableException("down", null);
            }
        };
        StoreClock clock = new StoreClock(down, node::get);

        assertThat(clock.measureAtStart()).isFalse();

        assertThat(readings).hasValue(1);
        assertThat(clock.isMeasured()).isFalse();
    }
}
