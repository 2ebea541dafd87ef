package io.sessioncluster.benchmarks.http;

/**
 * Latencies in microseconds, in log-linear buckets: exact below 1 ms, then 64 buckets per power of two (so any
 * value is reported within 1.6% of itself), up to about 70 s. One per load thread, merged at the end; not
 * thread-safe.
 */
final class LatencyHistogram {

    private static final int LINEAR = 1024;
    private static final int SUB_BUCKET_BITS = 6;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int OCTAVES = 27;

    private final long[] counts = new long[LINEAR + OCTAVES * SUB_BUCKETS];
    private long total;
    private long max;

    void record(long micros) {
        long value = Math.max(0, micros);
        counts[index(value)]++;
        total++;
        max = Math.max(max, value);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /**
     * The smallest recorded value (bucket upper bound) such that at least {@code percentile}% of the values are at
     * most it; 0 when empty.
     */
    long percentile(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be 0 to 100, got " + percentile);
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    static int index(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int octave = 63 - Long.numberOfLeadingZeros(micros) - 10; // 0 for [1024, 2048)
        if (octave >= OCTAVES) {
            return LINEAR + OCTAVES * SUB_BUCKETS - 1;
        }
        int sub = (int) ((micros >>> (octave + 10 - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1));
        return LINEAR + octave * SUB_BUCKETS + sub;
    }

    static long upperBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int octave = (index - LINEAR) / SUB_BUCKETS;
        int sub = (index - LINEAR) % SUB_BUCKETS;
        long width = 1L << (octave + 10 - SUB_BUCKET_BITS);
        return (1L << (octave + 10)) + (sub + 1) * width - 1;
    }
}
