package io.sessioncluster.testkit;

import io.sessioncluster.core.config.Setting;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;

import java.util.List;

/** Provides {@link InMemorySessionStore} as store {@code memory}; for tests only. */
public final class InMemorySessionStoreProvider implements SessionStoreProvider {

    public static final String NAME = "memory";

    /** Stores opened with the same name share their sessions, like nodes sharing one Redis. */
    public static final Setting<String> MEMORY_NAME = Setting.of("memoryName", "default",
            "1 to 64 characters",
            "Name of the in-memory backend; stores in one JVM opened with the same name share their sessions.",
            raw -> {
                if (raw.isEmpty() || raw.length() > 64) {
                    throw new IllegalArgumentException();
                }
                return raw;
            });

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(MEMORY_NAME);
    }

    @Override
    public SessionStore open(Settings settings, String contextName) {
        return InMemorySessionStore.open(settings.get(MEMORY_NAME));
    }
}
