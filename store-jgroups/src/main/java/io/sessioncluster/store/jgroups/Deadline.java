package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.store.StoreUnavailableException;

import java.util.concurrent.TimeUnit;

/** The time a call to another member may take in all, across its retries; with the pause between retries. */
final class Deadline {

    /** Between retries: long enough for a view change to arrive, short next to the timeout. */
    private static final long PAUSE_MILLIS = 10;

    private final long endNanos;

    Deadline(long timeoutMillis) {
        this.endNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** What is left, in ms; zero or less once it passed. */
    long remainingMillis() {
        return TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime());
    }

    /** What is left for one call, at least 1 ms (a timeout of 0 would wait forever). */
    long callMillis() {
        return Math.max(1, remainingMillis());
    }

    boolean passed() {
        return remainingMillis() <= 0;
    }

    /** Waits a little before the next attempt. */
    static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", e);
        }
    }
}
