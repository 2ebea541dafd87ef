package io.sessioncluster.spring.boot;

import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;

import java.util.Map;
import java.util.function.Supplier;

/** Boot 3's {@link JdbcConnectionDetails} as the JDBC store's settings, like {@code ConnectionDetailsJdbcSettings} does for Boot 4. */
final class Boot3ConnectionDetailsJdbcSettings implements Supplier<Map<String, String>> {

    private final Supplier<JdbcConnectionDetails> details;

    Boot3ConnectionDetailsJdbcSettings(Supplier<JdbcConnectionDetails> details) {
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
