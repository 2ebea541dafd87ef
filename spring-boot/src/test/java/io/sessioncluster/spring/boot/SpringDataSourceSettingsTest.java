package io.sessioncluster.spring.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.mock.env.MockEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpringDataSourceSettingsTest {

    @Test
    void fromPropertiesUrlUserAndPassword() {
        MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.url", " jdbc:postgresql://db:5432/shop ")
                .withProperty("spring.datasource.username", "shop").withProperty("spring.datasource.password", "p@ss");
        assertThat(new SpringDataSourceSettings(env).get()).containsExactly(
                Map.entry("jdbcUrl", "jdbc:postgresql://db:5432/shop"), Map.entry("jdbcUser", "shop"),
                Map.entry("jdbcPassword", "p@ss"));
    }

    @Test
    void emptyCredentialsAreLeftToTheDriver() {
        MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:mem:x")
                .withProperty("spring.datasource.username", "").withProperty("spring.datasource.password", "");
        assertThat(new SpringDataSourceSettings(env).get()).containsExactly(Map.entry("jdbcUrl", "jdbc:h2:mem:x"));
    }

    @Test
    void nothingConfiguredMeansNothing() {
        assertThat(new SpringDataSourceSettings(new MockEnvironment()).get()).isEmpty();
        assertThat(new SpringDataSourceSettings(new MockEnvironment()
                .withProperty("spring.datasource.username", "app")).get()).isEmpty();
    }

    @Test
    void fromConnectionDetails() {
        JdbcConnectionDetails d = details("jdbc:postgresql://10.0.0.1:5432/test", "postgres", "secret");
        assertThat(new ConnectionDetailsJdbcSettings(() -> d).get()).containsExactly(
                Map.entry("jdbcUrl", "jdbc:postgresql://10.0.0.1:5432/test"), Map.entry("jdbcUser", "postgres"),
                Map.entry("jdbcPassword", "secret"));
        assertThat(new ConnectionDetailsJdbcSettings(() -> details("jdbc:h2:mem:x", null, null)).get())
                .containsExactly(Map.entry("jdbcUrl", "jdbc:h2:mem:x"));
    }

    @Test
    void connectionDetailsWithoutAUrlMeanNothing() {
        assertThat(new ConnectionDetailsJdbcSettings(() -> null).get()).isEmpty();
        JdbcConnectionDetails noUrl = new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return "sa";
            }

            @Override
            public String getPassword() {
                return null;
            }

            @Override
            public String getJdbcUrl() {
                // what Boot's property-backed details do without spring.datasource.url and an embedded database
                throw new IllegalStateException("Failed to determine a suitable database URL");
            }
        };
        assertThat(new ConnectionDetailsJdbcSettings(() -> noUrl).get()).isEmpty();
    }

    private static JdbcConnectionDetails details(String url, String username, String password) {
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return username;
            }

            @Override
            public String getPassword() {
                return password;
            }

            @Override
            public String getJdbcUrl() {
                return url;
            }
        };
    }
}
