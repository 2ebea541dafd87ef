package io.sessioncluster.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsed, validated values of a group of {@link Setting}s. Immutable. */
public final class Settings {

    private final Map<Setting<?>, Object> values;

    Settings(Map<Setting<?>, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Whether {@code setting} parsed (a bad value leaves it out). */
    boolean has(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /** The value of {@code setting}; throws if the setting was not part of the validated group. */
    public <T> T get(Setting<T> setting) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException("setting [" + setting.name() + "] was not validated with this group");
        }
        @SuppressWarnings("unchecked")
        T value = (T) values.get(setting);
        return value;
    }

    /**
     * Parses {@code raw} values for the given settings, falling back to defaults. For tests and for
     * callers that validate a single group; the Manager goes through {@link ClusterConfig#parse}.
     *
     * @throws ConfigException listing every bad or missing value
     */
    public static Settings parse(Iterable<Setting<?>> settings, Map<String, String> raw) {
        ConfigProblems problems = new ConfigProblems();
        Settings parsed = parse(settings, raw, problems);
        problems.throwIfAny("Invalid settings");
        return parsed;
    }

    static Settings parse(Iterable<Setting<?>> settings, Map<String, String> raw, ConfigProblems problems) {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        for (Setting<?> setting : settings) {
            String text = raw.get(setting.name());
            if (text == null) {
                text = setting.defaultValue();
            }
            if (text == null) {
                problems.add(setting.name() + ": required; allowed are " + setting.allowed());
                continue;
            }
            try {
                values.put(setting, setting.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        return new Settings(values);
    }
}
