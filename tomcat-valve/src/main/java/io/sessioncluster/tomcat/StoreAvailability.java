package io.sessioncluster.tomcat;

import java.util.function.LongSupplier;

/**
 * Whether the store answers, and since when: flipped by the outcome of store calls ({@link MeasuredStore}) and by a
 * store that could not be opened at start. A call that succeeds after failures means the store is back. The hot path
 * reads one volatile field; only a change takes the lock.
 */
final class StoreAvailability {

    /** One consistent pair, replaced whole on a change. */
    record State(boolean available, long sinceMillis, long outages) {
    }

    private final LongSupplier wallClock;
    private volatile State state;

    StoreAvailability(LongSupplier wallClock) {
        this.wallClock = wallClock;
        this.state = new State(true, wallClock.getAsLong(), 0);
    }

    /** The store answered. */
    void answered() {
        if (!state.available()) {
            flip(true);
        }
    }

    /** The store was found unavailable. */
    void unavailable() {
        if (state.available()) {
            flip(false);
        }
    }

    private synchronized void flip(boolean available) {
        State now = state;
        if (now.available() != available) {
            state = new State(available, wallClock.getAsLong(), now.outages() + (available ? 0 : 1));
        }
    }

    State state() {
        return state;
    }
}
