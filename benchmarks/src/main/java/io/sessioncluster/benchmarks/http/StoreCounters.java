package io.sessioncluster.benchmarks.http;

/**
 * Cumulative counters of what the nodes sent to their store or to each other. {@code readCommands} is -1 where
 * the notion does not apply (replication between members has no reads). {@code roundTrips}: request batches the
 * store received (Redis read events) or messages the members sent (Tribes).
 */
record StoreCounters(long bytesIn, long commands, long readCommands, long roundTrips) {

    static final StoreCounters NONE = new StoreCounters(0, 0, 0, 0);

    StoreCounters minus(StoreCounters earlier) {
        return new StoreCounters(bytesIn - earlier.bytesIn, commands - earlier.commands,
                readCommands < 0 ? -1 : readCommands - earlier.readCommands, roundTrips - earlier.roundTrips);
    }
}
