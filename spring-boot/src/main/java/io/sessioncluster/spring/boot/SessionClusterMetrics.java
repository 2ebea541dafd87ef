package io.sessioncluster.spring.boot;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.concurrent.TimeUnit;

/**
 * The managers' statistics as Micrometer meters, all named {@code session.cluster.*} and tagged with the store.
 * Each meter reads the counters when it is published, so nothing is counted twice.
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
                .description("Time spent writing to the store").tag("store", store).register(registry);
        FunctionCounter.builder("session.cluster.store.failures", m, x -> x.total().writeFailures())
                .description("Store writes that failed").tag("store", store).register(registry);
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
    }
}
