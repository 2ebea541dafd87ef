package io.sessioncluster.core.codec;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A lock-free pool of costly, single-threaded objects (a Kryo instance with its buffers): a fixed array of slots,
 * each taken and given back with one atomic swap, no lock and no allocation. A thread starts looking at the slot its
 * id hashes to, so under steady load each request thread finds the instance it used last, as with a thread-local,
 * but the instances belong to the pool: they go with the codec (and its web application's class loader) instead of
 * staying in Tomcat's threads. Kryo's own pool is a {@code LinkedBlockingQueue} behind two locks, capped at 64:
 * above that, every request built a throw-away instance (milliseconds each).
 *
 * <p>Nothing waits: {@link #obtain} creates an instance when the slots it probes are empty, and {@link #free} drops one
 * when they are full, so the pool grows to the peak number of threads using it at once, up to its slot count.
 */
final class StripedPool<T> {

    /** Slots probed from the thread's own before giving up: enough to find an idle neighbour's instance. */
    private static final int PROBES = 8;

    private final AtomicReferenceArray<T> slots;
    private final int mask;
    private final Supplier<T> factory;

    /** @param capacity slots, rounded up to a power of two */
    StripedPool(int capacity, Supplier<T> factory) {
        int size = Integer.highestOneBit(Math.max(PROBES, capacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.factory = factory;
    }

    T obtain() {
        int home = home();
        for (int i = 0; i < PROBES; i++) {
            int slot = (home + i) & mask;
            if (slots.getPlain(slot) != null) {
                T taken = slots.getAndSet(slot, null);
                if (taken != null) {
                    return taken;
                }
            }
        }
        return factory.get();
    }

    void free(T item) {
        int home = home();
        for (int i = 0; i < PROBES; i++) {
            int slot = (home + i) & mask;
            if (slots.getPlain(slot) == null && slots.compareAndSet(slot, null, item)) {
                return;
            }
        }
        // All probed slots taken: more threads than the pool keeps near this one; let this instance go.
    }

    /** Instances idle in the pool now (for tests and statistics). */
    int idle() {
        int count = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                count++;
            }
        }
        return count;
    }

    private int home() {
        long id = Thread.currentThread().getId();
        int h = (int) (id ^ (id >>> 32)) * 0x9E3779B9; // Fibonacci hashing spreads consecutive thread ids
        return h >>> 16;
    }
}
