package io.sessioncluster.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTest {

    @Test
    void letsTheFirstWarningOfAKeyThroughAndCountsTheSuppressedOnes() {
        RateLimitedLog log = new RateLimitedLog(1, TimeUnit.HOURS);

        assertThat(log.permit("a")).isZero();
        assertThat(log.permit("a")).isEqualTo(-1);
        assertThat(log.permit("a")).isEqualTo(-1);
        assertThat(log.permit("b")).as("keys are limited separately").isZero();
    }

    @Test
    void afterTheIntervalReportsHowManyWereSuppressed() throws InterruptedException {
        RateLimitedLog log = new RateLimitedLog(20, TimeUnit.MILLISECONDS);

        assertThat(log.permit("a")).isZero();
        assertThat(log.permit("a")).isEqualTo(-1);
        assertThat(log.permit("a")).isEqualTo(-1);
        Thread.sleep(50);
        assertThat(log.permit("a")).isEqualTo(2);
    }
}
