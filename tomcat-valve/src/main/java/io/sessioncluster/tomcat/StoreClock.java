package io.sessioncluster.tomcat;

import io.sessioncluster.core.store.SessionStore;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.function.LongSupplier;

/**
 * The store's clock as this node reads it: the node's clock plus an offset measured through
 * {@link SessionStore#storeTimeMillis()} (half the round trip counted), re-measured in the background. Every time the
 * node gives the store (access and creation times, the "now" of an expiry claim) is converted to it, and every time
 * the store gives back is converted to the node's clock, so one clock decides expiry for the whole cluster: a node
 * whose clock is minutes off neither expires sessions early nor keeps them alive past their timeout. Until the
 * first measurement (the store is down at start, or its first answers were slow) the offset is zero and
 * {@link #isMeasured()} false: times still go out converted by nothing, but no expiry may be decided on them (a node
 * minutes ahead would otherwise claim every session as expired).
 */
final class StoreClock {

    private static final Log log = Logs.of(StoreClock.class);
    private static final StringManager sm = StringManager.getManager(StoreClock.class);
    /** A measurement whose round trip took longer says little about the offset: it is not used. */
    static final long MAX_ROUND_TRIP_MILLIS = 250;
    /** Offsets within this much of zero are normal (NTP-synchronized clocks); a larger one is logged once. */
    static final long NOTABLE_OFFSET_MILLIS = 1_000;

    private final SessionStore store;
    private final LongSupplier nodeClock;
    /** Readings at start: the first answers of a fresh connection are often slow (class loading, warm-up). */
    static final int START_ATTEMPTS = 5;

    private enum Reading { USED, SLOW, FAILED }

    private volatile long offset;
    private volatile boolean notable;
    private volatile boolean measured;

    StoreClock(SessionStore store, LongSupplier nodeClock) {
        this.store = store;
        this.nodeClock = nodeClock;
        this.measured = store == null;
    }

    /** The node's own clock, with no store to measure against (tests, and parts used without a store). */
    static StoreClock local() {
        return new StoreClock(null, System::currentTimeMillis);
    }

    /**
     * True once an offset was measured (or there is no store to measure against): only then may this node decide
     * that a session expired.
     */
    boolean isMeasured() {
        return measured;
    }

    /**
     * Measures the offset once. Best effort: a store that is down or slow leaves the last offset in place.
     *
     * @return true if the measurement was used
     */
    boolean measure() {
        return read() == Reading.USED;
    }

    /**
     * Measures at start: a reading discarded as slow is taken again, up to {@value #START_ATTEMPTS} times; a store that
     * does not answer is left to the background measurements.
     *
     * @return true if a measurement was used
     */
    boolean measureAtStart() {
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            Reading reading = read();
            if (reading != Reading.SLOW) {
                return reading == Reading.USED;
            }
        }
        return false;
    }

    private Reading read() {
        if (store == null) {
            return Reading.FAILED;
        }
        long before;
        long storeTime;
        long after;
        try {
            before = nodeClock.getAsLong();
            storeTime = store.storeTimeMillis();
            after = nodeClock.getAsLong();
        } catch (RuntimeException e) {
            log.debug("reading the store's clock failed", e);
            return Reading.FAILED;
        }
        if (after - before > MAX_ROUND_TRIP_MILLIS || after < before) {
            return Reading.SLOW;
        }
        long measured = storeTime - (before + (after - before) / 2);
        offset = measured;
        this.measured = true;
        boolean isNotable = Math.abs(measured) > NOTABLE_OFFSET_MILLIS;
        if (isNotable && !notable) {
            log.warn(sm.getString("clock.offset", Long.valueOf(measured)));
        }
        notable = isNotable;
        return Reading.USED;
    }

    /** The node's clock, epoch ms. */
    long nodeNow() {
        return nodeClock.getAsLong();
    }

    /** The store's clock now, as this node estimates it. */
    long now() {
        return nodeClock.getAsLong() + offset;
    }

    /** A time read on this node's clock, on the store's. */
    long toStore(long nodeMillis) {
        return shift(nodeMillis, offset);
    }

    /** A time the store gave, on this node's clock. */
    long toNode(long storeMillis) {
        return shift(storeMillis, -offset);
    }

    long offsetMillis() {
        return offset;
    }

    /** {@link Long#MAX_VALUE} (never) and zero or less (unset) are not times: they stay. */
    private static long shift(long millis, long by) {
        return millis == Long.MAX_VALUE || millis <= 0 ? millis : millis + by;
    }
}
