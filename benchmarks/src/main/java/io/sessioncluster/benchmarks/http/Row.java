package io.sessioncluster.benchmarks.http;

/**
 * One row of the results: a configuration and its figures, or why it has none (pending, failed).
 *
 * @param ratio throughput relative to the baseline of the same run; NaN without figures
 */
record Row(Scenario scenario, Measurement measurement, double ratio, String problem) {

    boolean hasFigures() {
        return measurement != null;
    }
}
