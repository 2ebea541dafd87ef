package io.sessioncluster.spring.boot;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sessioncluster.tomcat.OperationStatistics;
import io.sessioncluster.tomcat.StoreOperation;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The managers' statistics as Micrometer meters, all named {@code session.cluster.*} and tagged with the store; the
 * figures of every store call are tagged with its {@code operation} as well ({@link StoreOperation#tag()}). Each
 * meter reads the counters when it is published, so nothing is counted twice. The meters are listed in
 * {@code docs/monitoring.md}.
 */
final class SessionClusterMetrics implements MeterBinder {

    private final SessionClusterManagers managers;
    private final String store;

    SessionClusterMetrics(SessionClusterManagers managers, String store) {
        this.managers = managers;
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        SessionClusterManagers m = managers;
        Gauge.builder("session.cluster.sessions.active", m, x -> x.total().activeSessions())
                .description("Sessions this node holds a local copy of").baseUnit(BaseUnits.SESSIONS)
                .tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.writes", m, x -> x.total().writes())
                .description("Change sets the store accepted").tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.bytes.written", m, x -> x.total().bytesWritten())
                .description("Encoded attribute bytes written to the store").baseUnit(BaseUnits.BYTES)
                .tag("store", store).register(registry);
        FunctionTimer.builder("session.cluster.store.latency", m,
                        x -> {
                            var t = x.total();
                            return t.writes() + t.writeFailures();
                        },
                        x -> x.total().writeNanos(), TimeUnit.NANOSECONDS)
                .description("Time spent writing change sets to the store").tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.store.failures", m, x -> x.total().writeFailures())
                .description("Change sets the store did not take").tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.failovers", m, x -> x.total().failovers())
                .description("Sessions this node took over from another node").tag("store", store).register(registry);
        FunctionTimer.builder("session.cluster.lock.waits", m,
                        x -> {
                            var t = x.total();
                            return t.lockWaits() + t.lockTimeouts();
                        },
                        x -> x.total().lockWaitNanos(), TimeUnit.NANOSECONDS)
                .description("Requests that waited for another node to release their session's lock")
                .tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.lock.timeouts", m, x -> x.total().lockTimeouts())
                .description("Requests answered 503 because their session's lock was not released within lockWaitMillis")
                .tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.lock.lost", m, x -> x.total().locksLost())
                .description("Locks another node took after this node's lease ran out").tag("store", store)
                .register(registry);
        bindStoreCalls(registry, m);
        bindTheRest(registry, m);
    }

    /** Every kind of store call: count and time, failures, and the recent latency percentiles. */
    private void bindStoreCalls(MeterRegistry registry, SessionClusterManagers m) {
        for (StoreOperation op : StoreOperation.values()) {
            FunctionTimer.builder("session.cluster.store.operations", m, x -> x.total().operation(op).calls(),
                            x -> x.total().operation(op).totalNanos(), TimeUnit.NANOSECONDS)
                    .description("Store calls, failed ones included, and the time spent in them")
                    .tags("store", store, "operation", op.tag()).register(registry);
            FunctionCounter.builder("session.cluster.store.operation.failures", m,
                            x -> x.total().operation(op).failures())
                    .description("Store calls that failed").tags("store", store, "operation", op.tag())
                    .register(registry);
            recent(registry, m, op, "0.5", OperationStatistics::p50Millis);
            recent(registry, m, op, "0.95", OperationStatistics::p95Millis);
            recent(registry, m, op, "0.99", OperationStatistics::p99Millis);
            TimeGauge.builder("session.cluster.store.operation.latency.max", m, TimeUnit.MILLISECONDS,
                            x -> x.total().operation(op).maxMillis())
                    .description("The slowest store call of the last 30 to 60 seconds")
                    .tags("store", store, "operation", op.tag()).register(registry);
        }
    }

    private void recent(MeterRegistry registry, SessionClusterManagers m, StoreOperation op, String quantile,
                        ToDoubleFunction<OperationStatistics> figure) {
        TimeGauge.builder("session.cluster.store.operation.latency", m, TimeUnit.MILLISECONDS,
                        x -> figure.applyAsDouble(x.total().operation(op)))
                .description("Latency percentile of the store calls of the last 30 to 60 seconds")
                .tags("store", store, "operation", op.tag(), "quantile", quantile).register(registry);
    }

    private void bindTheRest(MeterRegistry registry, SessionClusterManagers m) {
        FunctionCounter.builder("session.cluster.bytes.read", m, x -> x.total().bytesRead())
                .description("Encoded attribute bytes of the records read from the store").baseUnit(BaseUnits.BYTES)
                .tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.evictions.received", m, x -> x.total().evictionsReceived())
                .description("Notices from other nodes to drop a local copy they took over").tag("store", store)
                .register(registry);
        FunctionCounter.builder("session.cluster.evictions.gaps", m, x -> x.total().evictionGaps())
                .description("Times eviction notices may have been lost (every local copy was marked stale)")
                .tag("store", store).register(registry);
        Gauge.builder("session.cluster.async.queue.depth", m, x -> x.total().asyncQueueDepth())
                .description("Sessions waiting in the write-behind queues").baseUnit(BaseUnits.SESSIONS)
                .tag("store", store).register(registry);
        FunctionTimer.builder("session.cluster.async.queue.waits", m, x -> x.total().asyncQueueWaits(),
                        x -> x.total().asyncQueueWaitNanos(), TimeUnit.NANOSECONDS)
                .description("Requests that found the write-behind queues full and waited for room")
                .tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.async.dropped", m, x -> x.total().asyncWritesDropped())
                .description("Writes given back to their session because the write-behind queues stayed full")
                .tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.responses.unavailable", m,
                        x -> x.total().readUnavailableResponses())
                .description("Requests answered 503 by the session manager").tags("store", store, "phase", "read")
                .register(registry);
        FunctionCounter.builder("session.cluster.responses.unavailable", m,
                        x -> x.total().writeUnavailableResponses())
                .description("Requests answered 503 by the session manager").tags("store", store, "phase", "write")
                .register(registry);
        Gauge.builder("session.cluster.store.up", m, x -> x.total().storeAvailable() ? 1 : 0)
                .description("1 while the store answers, 0 from the first call that found it unavailable")
                .tag("store", store).register(registry);
        Gauge.builder("session.cluster.store.state.since", m, x -> x.total().storeStateSinceMillis() / 1000.0)
                .description("When session.cluster.store.up last changed, in seconds since the epoch")
                .baseUnit("seconds").tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.store.outages", m, x -> x.total().storeOutages())
                .description("Times the store went from available to unavailable").tag("store", store)
                .register(registry);
    }
}
