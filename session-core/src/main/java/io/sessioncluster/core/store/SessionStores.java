package io.sessioncluster.core.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds the {@link SessionStoreProvider}s visible to a class loader. */
public final class SessionStores {

    private SessionStores() {
    }

    /** Providers by name, in discovery order. Two providers with one name are a packaging error. */
    public static Map<String, SessionStoreProvider> discover(ClassLoader loader) {
        Map<String, SessionStoreProvider> byName = new LinkedHashMap<>();
        for (SessionStoreProvider provider : ServiceLoader.load(SessionStoreProvider.class, loader)) {
            SessionStoreProvider previous = byName.putIfAbsent(provider.name(), provider);
            if (previous != null && previous.getClass() != provider.getClass()) {
                throw new IllegalStateException("two session stores are named [" + provider.name() + "]: "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        return byName;
    }
}
