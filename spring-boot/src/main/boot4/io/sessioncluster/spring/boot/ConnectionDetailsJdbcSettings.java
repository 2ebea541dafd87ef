package io.sessioncluster.spring.boot;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The database of Boot's {@link JdbcConnectionDetails} (what the application's {@code DataSource} connects to) as the
 * JDBC store's settings. Only loaded when Boot's JDBC support is on the class path.
 */
final class ConnectionDetailsJdbcSettings implements Supplier<Map<String, String>> {

    private final Supplier<JdbcConnectionDetails> details;

    ConnectionDetailsJdbcSettings(Supplier<JdbcConnectionDetails> details) {
        this.details = details;
    }

    @Override
    public Map<String, String> get() {
        JdbcConnectionDetails d = details.get();
        if (d == null) {
            return Map.of();
        }
        return SpringDataSourceSettings.fromDetails(d::getJdbcUrl, d::getUsername, d::getPassword);
    }
}
