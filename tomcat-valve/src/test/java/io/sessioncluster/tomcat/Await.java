package io.sessioncluster.tomcat;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded polling: every wait in these tests ends, with a message saying what did not happen. */
final class Await {

    private Await() {
    }

    static <T> T until(Duration limit, Supplier<T> probe, Predicate<T> done, String what) {
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

    /**
     * Polls a request until its reply satisfies {@code done}, for content that arrives late (a write behind, an
     * eviction on its way). Every reply must be served (200): a 503 or any other status fails at once, so a wait can
     * never retry a refusal away.
     */
    static Browser.Reply served(Duration limit, Supplier<Browser.Reply> request, Predicate<Browser.Reply> done,
                                String what) {
        return until(limit, () -> {
            Browser.Reply reply = request.get();
            if (reply.status() != 200) {
                throw new AssertionError("while waiting for " + what + ": answered " + reply.status() + ": "
                        + reply.body());
            }
            return reply;
        }, done, what);
    }

    /** A request that was re-sent until served, and how many times the store's outage refused it first. */
    record Recovery(Browser.Reply served, int refused) {
    }

    /**
     * Re-sends a request while the store recovers, until it is served (200). Every refusal before that must be a
     * 503 with {@code Retry-After} (never a 500, never a hang); they are counted, and the count is returned for the
     * caller to bound.
     */
    static Recovery recovery(Duration limit, Supplier<Browser.Reply> request, String what) {
        int[] refused = {0};
        Browser.Reply served = until(limit, () -> {
            Browser.Reply reply = request.get();
            if (reply.status() != 200) {
                if (reply.status() != 503 || reply.retryAfter().isEmpty()) {
                    throw new AssertionError("while waiting for " + what + ": answered " + reply.status()
                            + " without Retry-After or other than 503: " + reply.body());
                }
                refused[0]++;
            }
            return reply;
        }, r -> r.status() == 200, what);
        return new Recovery(served, refused[0]);
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
