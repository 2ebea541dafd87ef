package io.sessioncluster.spring.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Boot 3's JDBC connection details become the JDBC store's settings as Boot 4's do. */
class Boot3ConnectionDetailsJdbcSettingsTest {

    @Test
    void urlAndCredentials() {
        JdbcConnectionDetails d = new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return "postgres";
            }

            @Override
            public String getPassword() {
                return "secret";
            }

            @Override
            public String getJdbcUrl() {
                return "jdbc:postgresql://10.0.0.1:5432/test";
            }
        };
        assertThat(new Boot3ConnectionDetailsJdbcSettings(() -> d).get()).containsExactly(
                Map.entry("jdbcUrl", "jdbc:postgresql://10.0.0.1:5432/test"), Map.entry("jdbcUser", "postgres"),
                Map.entry("jdbcPassword", "secret"));
    }

    @Test
    void noDetailsOrNoUrlMeanNothing() {
        assertThat(new Boot3ConnectionDetailsJdbcSettings(() -> null).get()).isEmpty();
        JdbcConnectionDetails noUrl = new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return null;
            }

            @Override
            public String getPassword() {
                return null;
            }

            @Override
            public String getJdbcUrl() {
                throw new IllegalStateException("Failed to determine a suitable database URL");
            }
        };
        assertThat(new Boot3ConnectionDetailsJdbcSettings(() -> noUrl).get()).isEmpty();
    }
}
