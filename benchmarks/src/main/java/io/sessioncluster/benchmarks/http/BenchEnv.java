package io.sessioncluster.benchmarks.http;

/**
 * What every configuration is built from: the benchmark's own Redis (a dedicated redis-server), the workload,
 * and the request threads (and accept queue) of each node's connector, the same for every configuration of a
 * run: Tomcat's default of 200 threads, or the number of virtual users if that is larger, so that no
 * configuration's pool caps the load.
 */
record BenchEnv(int redisPort, Workload workload, int connectorThreads) {

    static int threadsFor(int users) {
        return Math.max(200, users);
    }

    String redisUri() {
        return "redis://127.0.0.1:" + redisPort;
    }

    int cartItems() {
        return workload.cartItems();
    }
}
