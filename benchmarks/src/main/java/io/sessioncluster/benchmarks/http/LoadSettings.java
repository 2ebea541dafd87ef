package io.sessioncluster.benchmarks.http;

import java.time.Duration;

/**
 * How hard and how long every configuration is driven: a fixed number of virtual users, each with one request
 * in flight at a time on its own keep-alive connection(s), a warm-up, then a measured window.
 */
record LoadSettings(int users, Duration warmup, Duration measure, RequestMix mix, long seed) {

    LoadSettings {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, got " + users);
        }
        if (warmup.isNegative() || measure.isZero() || measure.isNegative()) {
            throw new IllegalArgumentException("warm-up must be >= 0 and the measured window > 0, got "
                    + warmup + " and " + measure);
        }
    }
}
