package io.sessioncluster.tomcat;

/**
 * What one kind of store call ({@link StoreOperation}) has cost since the manager was created. Counts and the total
 * time only grow; the percentiles and the maximum describe the calls of the last 30 to 60 seconds (0 when there was
 * none), to within about 6 %, as one HdrHistogram with one significant digit records them.
 *
 * @param calls      calls made, failed ones included
 * @param failures   calls that threw (the store was unavailable, or answered something it could not parse)
 * @param totalNanos time spent in these calls, failed ones included, in nanoseconds
 * @param p50Millis  median latency of the recent calls, in milliseconds
 * @param p95Millis  95th percentile, in milliseconds
 * @param p99Millis  99th percentile, in milliseconds
 * @param maxMillis  the slowest recent call, in milliseconds
 */
public record OperationStatistics(long calls, long failures, long totalNanos, double p50Millis, double p95Millis,
                                  double p99Millis, double maxMillis) {

    /** Nothing measured. */
    public static final OperationStatistics NONE = new OperationStatistics(0, 0, 0, 0, 0, 0, 0);

    /**
     * The figures of two managers together: counts and times add up; of the percentiles, which cannot be combined
     * from figures alone, the higher one is kept (an upper bound: the slower context's).
     */
    public OperationStatistics plus(OperationStatistics other) {
        return new OperationStatistics(calls + other.calls, failures + other.failures, totalNanos + other.totalNanos,
                Math.max(p50Millis, other.p50Millis), Math.max(p95Millis, other.p95Millis),
                Math.max(p99Millis, other.p99Millis), Math.max(maxMillis, other.maxMillis));
    }
}
