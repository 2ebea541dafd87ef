package io.sessioncluster.benchmarks.http;

/**
 * What every configuration is built from: the benchmark's own Redis (a dedicated redis-server) and the size of
 * the workload's cart.
 */
record BenchEnv(int redisPort, int cartItems) {

    String redisUri() {
        return "redis://127.0.0.1:" + redisPort;
    }
}
