package io.sessioncluster.spring.boot;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The database the application configured for itself, as the JDBC store's {@code jdbcUrl}, {@code jdbcUser} and
 * {@code jdbcPassword}. Read from the {@code spring.datasource.*} properties; {@code ConnectionDetailsJdbcSettings}
 * reads Boot's connection details instead when Boot's JDBC support is present (they also cover Testcontainers and
 * Docker Compose).
 */
final class SpringDataSourceSettings implements Supplier<Map<String, String>> {

    private final Environment environment;

    SpringDataSourceSettings(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Map<String, String> get() {
        Binder binder = Binder.get(environment);
        return settings(binder.bind("spring.datasource.url", String.class).orElse(null),
                binder.bind("spring.datasource.username", String.class).orElse(null),
                binder.bind("spring.datasource.password", String.class).orElse(null));
    }

    /**
     * The store's settings from the parts of a Boot {@code JdbcConnectionDetails} (whose package differs between
     * Boot 3 and 4); empty when it has no URL.
     */
    static Map<String, String> fromDetails(Supplier<String> url, Supplier<String> username, Supplier<String> password) {
        String jdbcUrl;
        try {
            jdbcUrl = url.get();
        } catch (RuntimeException e) {
            // Boot's property-backed details throw when no URL is set and no embedded database can stand in.
            return Map.of();
        }
        return settings(jdbcUrl, username.get(), password.get());
    }

    /** The store's settings for this URL and credentials; empty without a URL, no entry for an absent credential. */
    static Map<String, String> settings(String url, String username, String password) {
        if (url == null || url.isBlank()) {
            return Map.of(); // nothing configured: the application has no database of its own
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("jdbcUrl", url.trim());
        if (username != null && !username.isEmpty()) {
            settings.put("jdbcUser", username);
        }
        if (password != null && !password.isEmpty()) {
            settings.put("jdbcPassword", password);
        }
        return settings;
    }
}
