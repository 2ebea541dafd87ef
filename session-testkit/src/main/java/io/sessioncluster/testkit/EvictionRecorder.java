package io.sessioncluster.testkit;

import io.sessioncluster.core.store.EvictionListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link EvictionListener} that records what one node receives, for tests to assert on. */
public final class EvictionRecorder implements EvictionListener {

    /** Ids received through {@link #evicted}, in order. */
    public final List<String> evicted = new CopyOnWriteArrayList<>();
    /** How often {@link #missedEvictions} was called. */
    public final AtomicInteger missed = new AtomicInteger();

    @Override
    public void evicted(String id) {
        evicted.add(id);
    }

    @Override
    public void missedEvictions() {
        missed.incrementAndGet();
    }
}
