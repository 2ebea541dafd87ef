package io.sessioncluster.spring.boot;

import io.sessioncluster.core.config.CoreSettings;
import io.sessioncluster.core.config.Setting;
import io.sessioncluster.core.store.SessionStoreProvider;
import io.sessioncluster.core.store.SessionStores;
import io.sessioncluster.tomcat.ClusteredSessionManager;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names a setting may have: the core's, every store's on the class path, and the manager's own setters
 * ({@code maxActiveSessions}, ...). Only used to restore the case of names that lost it on the way: environment
 * variables ({@code SESSIONCLUSTER_SETTINGS_REDISURI} binds as {@code redisuri}). Validation stays the manager's.
 */
final class KnownSettingNames {

    private KnownSettingNames() {
    }

    static Set<String> find() {
        Set<String> names = new TreeSet<>();
        names.add(CoreSettings.STORE);
        CoreSettings.all().forEach(s -> names.add(s.name()));
        try {
            for (SessionStoreProvider provider : SessionStores.discover(ClusteredSessionManager.class.getClassLoader()).values()) {
                for (Setting<?> s : provider.settings()) {
                    names.add(s.name());
                }
            }
        } catch (RuntimeException e) {
            // A broken store module: the manager's validation reports it, with its own message.
        }
        for (Method m : ClusteredSessionManager.class.getMethods()) {
            Class<?>[] params = m.getParameterTypes();
            if (m.getName().startsWith("set") && m.getName().length() > 3 && params.length == 1
                    && (params[0] == String.class || params[0] == int.class || params[0] == long.class
                    || params[0] == boolean.class)) {
                String rest = m.getName().substring(3);
                names.add(rest.substring(0, 1).toLowerCase(Locale.ROOT) + rest.substring(1));
            }
        }
        return names;
    }
}
