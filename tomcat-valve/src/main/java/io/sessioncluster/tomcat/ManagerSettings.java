package io.sessioncluster.tomcat;

import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.store.SessionStoreProvider;

import org.apache.catalina.LifecycleException;
import org.apache.tomcat.util.res.StringManager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of one manager as the user wrote them, validated all at once at start.
 *
 * <p>Tomcat's digester sets each attribute of {@code <Manager>} through a setter if the class has one
 * ({@code processExpiresFrequency}, {@code maxActiveSessions}... of {@code ManagerBase}) and otherwise calls
 * {@code setProperty(name, value)}, which lands here. This class does the same for programmatic callers (Spring
 * Boot): a name with a setter of a simple type goes to that setter, every other name is kept as raw text for
 * {@link ClusterConfig#parse}. A value a setter cannot take is remembered as a problem instead of being ignored
 * (the digester only logs those), and reported at start together with the problems {@code ClusterConfig} finds.
 */
final class ManagerSettings {

    private static final StringManager sm = StringManager.getManager(ManagerSettings.class);

    private final Object bean;
    private final Map<String, String> raw = new LinkedHashMap<>();
    private final Map<String, String> beanProblems = new LinkedHashMap<>();

    ManagerSettings(Object bean) {
        this.bean = bean;
    }

    synchronized void set(String name, String value) {
        if (name == null || value == null) {
            return;
        }
        Method setter = simpleSetter(name);
        if (setter == null) {
            raw.put(name, value);
            return;
        }
        beanProblems.remove(name);
        Class<?> type = setter.getParameterTypes()[0];
        try {
            setter.invoke(bean, convert(type, value));
        } catch (IllegalArgumentException e) {
            beanProblems.put(name, sm.getString("manager.settingBadValue", name, value, allowed(type)));
        } catch (InvocationTargetException e) {
            beanProblems.put(name, sm.getString("manager.settingBadValue", name, value, allowed(type)) + " ("
                    + e.getCause().getMessage() + ")");
        } catch (IllegalAccessException e) {
            raw.put(name, value);
        }
    }

    /** The value recorded for a cluster setting, or null. */
    synchronized String get(String name) {
        return raw.get(name);
    }

    synchronized Map<String, String> raw() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }

    /**
     * Validates everything.
     *
     * @throws LifecycleException whose message names the context and lists every problem
     */
    synchronized ClusterConfig validate(String contextName, Map<String, SessionStoreProvider> providers)
            throws LifecycleException {
        List<String> problems = new ArrayList<>();
        ClusterConfig config = parse(providers, problems);
        if (!problems.isEmpty()) {
            throw new LifecycleException(sm.getString("manager.configInvalid", contextName,
                    "Invalid session-cluster configuration:\n  - " + String.join("\n  - ", problems)));
        }
        return config;
    }

    /**
     * Parses and checks everything, for a caller that words the error itself ({@code ClusteredSingleSignOn}).
     *
     * @param problems receives one line per problem, the configuration's and the setters'
     * @return the configuration, or null if there was a problem
     */
    synchronized ClusterConfig parse(Map<String, SessionStoreProvider> providers, List<String> problems) {
        ClusterConfig config = null;
        try {
            config = ClusterConfig.parse(Map.copyOf(raw), providers);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        problems.addAll(beanProblems.values());
        return problems.isEmpty() ? config : null;
    }

    /**
     * Records a problem a setter found itself (a value the digester hands over as text, such as a regular
     * expression), reported at start with the others; null clears it.
     */
    synchronized void problem(String name, String message) {
        if (message == null) {
            beanProblems.remove(name);
        } else {
            beanProblems.put(name, message);
        }
    }

    /**
     * The setter of a simple type for {@code name}. Where a typed setter has a {@code String} overload (the
     * manager declares those so that the digester hands it the text it would otherwise convert leniently), the
     * typed one is the target.
     */
    private Method simpleSetter(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        String setterName = "set" + name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        Method found = null;
        for (Method m : bean.getClass().getMethods()) {
            if (m.getName().equals(setterName) && m.getParameterCount() == 1 && isSimple(m.getParameterTypes()[0])
                    && (found == null || found.getParameterTypes()[0] == String.class)) {
                found = m;
            }
        }
        return found;
    }

    private static boolean isSimple(Class<?> type) {
        return type == String.class || type == int.class || type == long.class || type == boolean.class;
    }

    private static Object convert(Class<?> type, String value) {
        if (type == String.class) {
            return value;
        }
        String v = value.trim();
        if (type == int.class) {
            return Integer.valueOf(v); // NumberFormatException is an IllegalArgumentException
        }
        if (type == long.class) {
            return Long.valueOf(v);
        }
        return switch (v) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(v);
        };
    }

    static String badValue(String name, String value, String allowed) {
        return sm.getString("manager.settingBadValue", name, value, allowed);
    }

    private static String allowed(Class<?> type) {
        if (type == int.class || type == long.class) {
            return "an integer";
        }
        return type == boolean.class ? "true, false" : "text";
    }
}
