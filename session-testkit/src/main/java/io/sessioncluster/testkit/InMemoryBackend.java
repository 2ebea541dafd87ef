package io.sessioncluster.testkit;

import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.EvictionListener;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sessions of one named in-memory "backend", shared by every {@link InMemorySessionStore} opened with that
 * name in this JVM, the way several Tomcat nodes share one Redis. All access goes through {@link #lock}: one lock
 * per backend is the simplest way to make every operation atomic, and speed does not matter in tests.
 */
final class InMemoryBackend {

    /** Backends by name. Static on purpose: nodes in one JVM find each other through it. */
    private static final Map<String, InMemoryBackend> BY_NAME = new ConcurrentHashMap<>();

    final Object lock = new Object();
    /** Session id to record; guarded by {@link #lock}. Records are immutable and replaced on every change. */
    final Map<String, SessionRecord> sessions = new HashMap<>();
    /** Session id to its lock: the latest grant's token and when its lease ends (0: released); guarded by {@link #lock}. */
    final Map<String, LockState> locks = new HashMap<>();
    /** When true every operation fails as if the backend were down, for failure tests. */
    volatile boolean unavailable;
    /** The eviction listeners of the stores ("nodes") over this backend; not guarded by {@link #lock}. */
    final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    record LockState(long token, long leaseEnd) {
    }

    record Subscriber(Object node, EvictionListener listener) {
    }

    /** Tells every node but {@code from} that a session ended, moved or was taken over. */
    void evicted(Object from, String id) {
        for (Subscriber s : subscribers) {
            if (s.node() != from) {
                s.listener().evicted(id);
            }
        }
    }

    private InMemoryBackend() {
    }

    static InMemoryBackend named(String name) {
        return BY_NAME.computeIfAbsent(name, n -> new InMemoryBackend());
    }
}
