package io.sessioncluster.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Lets one warning per key through per interval and counts the rest, so that a client sending garbage
 * session ids, or a store that is down, cannot flood the log.
 */
public final class RateLimitedLog {

    /** Keys come partly from applications (attribute names); the map is cleared if it ever grows past this. */
    private static final int MAX_KEYS = 1024;

    private final long intervalNanos;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(long interval, TimeUnit unit) {
        this.intervalNanos = unit.toNanos(interval);
    }

    /**
     * @return {@code -1} if this occurrence must not be logged; otherwise the number of occurrences suppressed
     *         since the last one that was logged
     */
    public long permit(String key) {
        long now = System.nanoTime();
        if (windows.size() > MAX_KEYS) {
            windows.clear();
        }
        long[] window = windows.computeIfAbsent(key, k -> new long[] {now, 0});
        synchronized (window) {
            if (now - window[0] >= 0) {
                long suppressed = window[1];
                window[0] = now + intervalNanos;
                window[1] = 0;
                return suppressed;
            }
            window[1]++;
            return -1;
        }
    }
}
