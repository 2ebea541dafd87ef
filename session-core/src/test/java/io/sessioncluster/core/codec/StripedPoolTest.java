package io.sessioncluster.core.codec;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The codec's pool: an instance serves one thread at a time, and the pool keeps what its peak load needed. */
class StripedPoolTest {

    @Test
    void aThreadGetsBackTheInstanceItGaveBack() {
        AtomicInteger created = new AtomicInteger();
        StripedPool<Object> pool = new StripedPool<>(16, () -> new Object[] {created.incrementAndGet()});
        Object first = pool.obtain();
        pool.free(first);
        for (int i = 0; i < 100; i++) {
            Object again = pool.obtain();
            assertThat(again).isSameAs(first);
            pool.free(again);
        }
        assertThat(created).hasValue(1);
    }

    @Test
    void neverHandsOneInstanceToTwoThreadsAndKeepsThePeakBeyondKryosOldCapOf64() throws Exception {
        int threads = 128;
        AtomicInteger created = new AtomicInteger();
        StripedPool<AtomicInteger> pool = new StripedPool<>(1024, () -> {
            created.incrementAndGet();
            return new AtomicInteger(); // counts its concurrent holders
        });
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        Set<AtomicInteger> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger shared = new AtomicInteger();
        try {
            for (int round = 0; round < 3; round++) {
                CountDownLatch allHolding = new CountDownLatch(threads);
                Future<?>[] futures = new Future<?>[threads];
                for (int t = 0; t < threads; t++) {
                    futures[t] = executor.submit(() -> {
                        AtomicInteger instance = pool.obtain();
                        if (instance.incrementAndGet() != 1) {
                            shared.incrementAndGet();
                        }
                        seen.add(instance);
                        allHolding.countDown();
                        allHolding.await(10, TimeUnit.SECONDS); // all 128 hold one at once
                        instance.decrementAndGet();
                        pool.free(instance);
                        return null;
                    });
                }
                for (Future<?> future : futures) {
                    future.get(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(shared).as("instances held by two threads at once").hasValue(0);
        assertThat(pool.idle()).as("the peak is kept for the next burst").isGreaterThanOrEqualTo(threads * 3 / 4);
        assertThat(created.get()).as("later bursts reuse most of the first one's instances")
                .isLessThan(threads * 2);
    }
}
