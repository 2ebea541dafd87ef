package io.sessioncluster.benchmarks.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void exactBelowOneMillisecond() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            h.record(i);
        }
        assertThat(h.percentile(50)).isEqualTo(50);
        assertThat(h.percentile(99)).isEqualTo(99);
        assertThat(h.percentile(100)).isEqualTo(100);
        assertThat(h.percentile(0)).isEqualTo(1);
    }

    @Test
    void withinTwoPercentAboveOneMillisecond() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1_000; v <= 1_000_000; v += 1_000) {
            h.record(v);
        }
        assertThat((double) h.percentile(50)).isCloseTo(500_000, within(500_000 * 0.02));
        assertThat((double) h.percentile(99)).isCloseTo(990_000, within(990_000 * 0.02));
        assertThat(h.percentile(100)).isEqualTo(1_000_000);
    }

    @Test
    void bucketsCoverEveryValueAndNeverReportLessThanTheValue() {
        for (long v : new long[] {0, 1, 1023, 1024, 1025, 2047, 2048, 65_432, 1L << 30, 70_000_000L}) {
            int index = LatencyHistogram.index(v);
            assertThat(LatencyHistogram.upperBound(index)).as("bucket of %d", v).isGreaterThanOrEqualTo(v);
            if (index > 0) {
                assertThat(LatencyHistogram.upperBound(index - 1)).as("bucket below %d", v).isLessThan(v);
            }
        }
    }

    @Test
    void mergesAndHandlesEmpty() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        assertThat(a.percentile(99)).isZero();
        a.record(10);
        b.record(20);
        b.record(30);
        a.add(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.max()).isEqualTo(30);
        assertThat(a.percentile(50)).isEqualTo(20);
        assertThatThrownBy(() -> a.percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
