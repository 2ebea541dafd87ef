package io.sessioncluster.benchmarks.http;

import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.tomcat.ClusteredSessionManager;

import java.lang.reflect.Field;

/**
 * The store a started {@link ClusteredSessionManager} opened, for the benchmark's probes only: the manager does not
 * expose it (nothing but a probe needs it), so this reads the private fields {@code runtime.store.delegate}
 * reflectively. If those names change, the JGroups rows fail at start with a message saying so, rather than
 * reporting zeros.
 */
final class ManagerStore {

    private ManagerStore() {
    }

    static SessionStore of(ClusteredSessionManager manager) {
        try {
            Object runtime = field(ClusteredSessionManager.class, "runtime").get(manager);
            Object deferred = field(runtime.getClass(), "store").get(runtime);
            Object store = field(deferred.getClass(), "delegate").get(deferred);
            if (!(store instanceof SessionStore s)) {
                throw new IllegalStateException("the manager's store is not open: " + store);
            }
            return s;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach the store of a ClusteredSessionManager (its internals "
                    + "changed?): " + e, e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
