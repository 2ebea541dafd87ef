package io.sessioncluster.tomcat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The attributes of the manager's MBean, each a figure of one {@link ManagerStatistics} snapshot, of a type every JMX
 * client reads ({@code long}, {@code double}, {@code boolean}, {@code String}): jconsole, Tomcat's JMX proxy servlet,
 * the Prometheus JMX exporter. {@code docs/monitoring.md} lists them; a test checks that it lists every one.
 */
final class StatisticsAttributes {

    /** One attribute: its JMX type is the Java class name of what {@code value} returns. */
    record Attribute(String name, String type, String description, Function<ManagerStatistics, Object> value) {
    }

    private static final double NANOS_PER_MILLI = 1_000_000.0;
    private static final Map<String, Attribute> ALL = build();

    private StatisticsAttributes() {
    }

    static Map<String, Attribute> all() {
        return ALL;
    }

    private static Map<String, Attribute> build() {
        List<Attribute> list = new ArrayList<>();
        count(list, "ActiveSessions", "Sessions this node holds a local copy of", ManagerStatistics::activeSessions);
        list.add(new Attribute("StoreAvailable", "boolean",
                "Whether the store answered the last call (false from the first call that found it unavailable)",
                ManagerStatistics::storeAvailable));
        list.add(new Attribute("StoreStateSince", "java.lang.String",
                "When StoreAvailable last changed (or the manager was created), ISO-8601 UTC",
                s -> s.storeStateSince().toString()));
        count(list, "StoreStateSinceMillis", "When StoreAvailable last changed, epoch milliseconds",
                ManagerStatistics::storeStateSinceMillis);
        count(list, "StoreOutages", "Times the store went from available to unavailable", ManagerStatistics::storeOutages);
        count(list, "ChangeSetsWritten", "Session change sets the store accepted", ManagerStatistics::writes);
        count(list, "ChangeSetWriteFailures", "Session change sets the store did not take (each attempt)",
                ManagerStatistics::writeFailures);
        millis(list, "ChangeSetWriteMillis", "Time spent writing change sets, a batch's time shared among them (ms)",
                ManagerStatistics::writeNanos);
        count(list, "BytesWritten", "Encoded attribute bytes of the change sets the store accepted",
                ManagerStatistics::bytesWritten);
        count(list, "BytesRead", "Encoded attribute bytes of the records read from the store (loads, expiry claims)",
                ManagerStatistics::bytesRead);
        count(list, "Failovers", "Requests whose session this node took over from another node",
                ManagerStatistics::failovers);
        count(list, "EvictionsReceived", "Notices from other nodes to drop a local copy they took over",
                ManagerStatistics::evictionsReceived);
        count(list, "EvictionGaps", "Times such notices may have been lost (every local copy was marked stale)",
                ManagerStatistics::evictionGaps);
        count(list, "AsyncQueueDepth", "Sessions waiting in the write-behind queues now (writeMode=async)",
                ManagerStatistics::asyncQueueDepth);
        count(list, "AsyncQueueWaits", "Requests that found the write-behind queues full and waited for room",
                ManagerStatistics::asyncQueueWaits);
        millis(list, "AsyncQueueWaitMillis", "Time requests waited for room in the write-behind queues (ms)",
                ManagerStatistics::asyncQueueWaitNanos);
        count(list, "AsyncWritesDropped", "Writes given back to their session because the queues stayed full",
                ManagerStatistics::asyncWritesDropped);
        count(list, "LockWaits", "Requests that waited for another node to release their session's lock",
                ManagerStatistics::lockWaits);
        millis(list, "LockWaitMillis", "Time requests waited for locks held elsewhere, timeouts included (ms)",
                ManagerStatistics::lockWaitNanos);
        count(list, "LockTimeouts", "Requests answered 503: the lock was not released within lockWaitMillis",
                ManagerStatistics::lockTimeouts);
        count(list, "LocksLost", "Locks of this node another node took after their lease ran out",
                ManagerStatistics::locksLost);
        count(list, "ReadUnavailableResponses",
                "Requests answered 503 before the application ran (store unavailable, lock not released in time)",
                ManagerStatistics::readUnavailableResponses);
        count(list, "WriteUnavailableResponses", "Requests answered 503 because their changes could not be written",
                ManagerStatistics::writeUnavailableResponses);
        for (StoreOperation op : StoreOperation.values()) {
            String name = op.jmxName();
            String what = "store calls '" + op.tag() + "'";
            count(list, name + "Count", "Number of " + what + ", failed ones included",
                    s -> s.operation(op).calls());
            count(list, name + "Failures", "Failed " + what, s -> s.operation(op).failures());
            millis(list, name + "TimeMillis", "Total time spent in " + what + " (ms)",
                    s -> s.operation(op).totalNanos());
            figure(list, name + "P50Millis", "Median latency of " + what + " in the last 30-60 s (ms)",
                    s -> s.operation(op).p50Millis());
            figure(list, name + "P95Millis", "95th percentile latency of " + what + " in the last 30-60 s (ms)",
                    s -> s.operation(op).p95Millis());
            figure(list, name + "P99Millis", "99th percentile latency of " + what + " in the last 30-60 s (ms)",
                    s -> s.operation(op).p99Millis());
            figure(list, name + "MaxMillis", "Slowest of " + what + " in the last 30-60 s (ms)",
                    s -> s.operation(op).maxMillis());
        }
        Map<String, Attribute> byName = new LinkedHashMap<>();
        list.forEach(a -> byName.put(a.name(), a));
        return Collections.unmodifiableMap(byName);
    }

    private static void count(List<Attribute> list, String name, String description,
                              ToLongFunction<ManagerStatistics> value) {
        list.add(new Attribute(name, "long", description, s -> Long.valueOf(value.applyAsLong(s))));
    }

    private static void millis(List<Attribute> list, String name, String description,
                               ToLongFunction<ManagerStatistics> nanos) {
        figure(list, name, description, s -> nanos.applyAsLong(s) / NANOS_PER_MILLI);
    }

    private static void figure(List<Attribute> list, String name, String description,
                               ToDoubleFunction<ManagerStatistics> value) {
        list.add(new Attribute(name, "double", description, s -> Double.valueOf(value.applyAsDouble(s))));
    }
}
