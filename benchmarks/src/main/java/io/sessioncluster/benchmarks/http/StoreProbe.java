package io.sessioncluster.benchmarks.http;

/** Reads the counters of whatever the nodes of one configuration write to: a Redis server, a Tribes channel, or nothing. */
interface StoreProbe {

    StoreProbe NONE = new StoreProbe() {
        @Override
        public StoreCounters counters() {
            return StoreCounters.NONE;
        }

        @Override
        public String describe() {
            return "none";
        }
    };

    StoreCounters counters();

    /** Bytes the store holds in memory (Redis {@code used_memory}), or -1 where there is no such store. */
    default long storeMemoryBytes() {
        return -1;
    }

    /** Calls per command so far (Redis {@code cmdstat_*}), for the log; empty where there are no commands. */
    default java.util.Map<String, Long> commandCalls() {
        return java.util.Map.of();
    }

    /**
     * A counter that moves while the store is busy, for waiting until it is quiet: commands by default; a probe whose
     * commands are published late (PostgreSQL's statistics) gives its round trips.
     */
    default long activity() {
        return counters().commands();
    }

    /**
     * False where the command counter lags behind (PostgreSQL publishes transaction counts up to seconds late): it
     * is then reported under load only, not for the requests measured alone.
     */
    default boolean liveCommands() {
        return true;
    }

    /** What is counted, for the README. */
    String describe();
}
