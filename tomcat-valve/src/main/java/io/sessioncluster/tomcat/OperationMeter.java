package io.sessioncluster.tomcat;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Counts and times one kind of store call: adders and a wait-free histogram, nothing that blocks the caller. */
final class OperationMeter {

    private final LongAdder calls = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LatencyWindow window;

    OperationMeter(LongSupplier nanoClock) {
        this.window = new LatencyWindow(nanoClock);
    }

    void succeeded(long tookNanos) {
        window.record(tookNanos); // before the count: figures read at a count hold every call it counts
        nanos.add(tookNanos);
        calls.increment();
    }

    void failed(long tookNanos) {
        failures.increment();
        succeeded(tookNanos);
    }

    void tick() {
        window.tick();
    }

    OperationStatistics statistics() {
        long count = calls.sum();
        LatencyWindow.Figures recent = window.figures(count);
        return new OperationStatistics(count, failures.sum(), nanos.sum(), recent.p50(), recent.p95(),
                recent.p99(), recent.max());
    }
}
