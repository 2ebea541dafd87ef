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
        calls.increment();
        nanos.add(tookNanos);
        window.record(tookNanos);
    }

    void failed(long tookNanos) {
        failures.increment();
        succeeded(tookNanos);
    }

    void tick() {
        window.tick();
    }

    OperationStatistics statistics() {
        LatencyWindow.Figures recent = window.figures();
        return new OperationStatistics(calls.sum(), failures.sum(), nanos.sum(), recent.p50(), recent.p95(),
                recent.p99(), recent.max());
    }
}
