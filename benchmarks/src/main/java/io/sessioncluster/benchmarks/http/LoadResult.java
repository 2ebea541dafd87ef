package io.sessioncluster.benchmarks.http;

/**
 * What the measured window of one load run produced: completed requests, their latencies, failures (I/O errors
 * and non-200 answers) and misses (a session the manager no longer had).
 */
record LoadResult(long requests, double seconds, LatencyHistogram latency, long errors, long misses,
        long reads, long writes, long creates) {

    double throughput() {
        return requests / seconds;
    }
}
