package io.sessioncluster.tomcat;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded polling: every wait in these tests ends, with a message saying what did not happen. */
final class Await {

    private Await() {
    }

    static <T> T until(Duration limit, Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + limit.toSeconds() + " s waiting for " + what + "; last: " + last);
            }
            sleep(Duration.ofMillis(100));
            last = probe.get();
        }
        return last;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
