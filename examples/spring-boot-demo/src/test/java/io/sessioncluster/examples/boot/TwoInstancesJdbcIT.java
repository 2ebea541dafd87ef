package io.sessioncluster.examples.boot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances sharing sessions through PostgreSQL ({@code SESSION_CLUSTER_POSTGRES_URL}, {@code _USER},
 * {@code _PASSWORD}, as store-jdbc's tests; default {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres}),
 * in tables of this run that the store creates and this test drops. Instance a names the database with
 * {@code session-cluster.settings.jdbc-url}; instance b only has the application's own {@code spring.datasource.*},
 * whose connection (Boot's {@link JdbcConnectionDetails}) the starter reuses.
 */
class TwoInstancesJdbcIT extends SharedSessionsContract {

    private static final String URL = env("URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = env("USER", "postgres");
    private static final String PASSWORD = env("PASSWORD", "");

    private final String table = "boot_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @Override
    Instance startInstance(String name) {
        List<String> args = new ArrayList<>(List.of("--session-cluster.store=jdbc",
                "--session-cluster.settings.table-name=" + table, "--session-cluster.settings.create-schema=true",
                "--session-cluster.settings.eviction-poll-millis=100", NON_STICKY));
        if (name.equals("a")) {
            args.addAll(List.of("--session-cluster.settings.jdbc-url=" + URL, "--session-cluster.settings.jdbc-user=" + USER,
                    "--session-cluster.settings.jdbc-password=" + PASSWORD));
        } else {
            // The demo leaves DataSource auto-configuration off (application.properties): an application with a database has it on.
            args.addAll(List.of("--spring.autoconfigure.exclude=", "--spring.datasource.url=" + URL,
                    "--spring.datasource.username=" + USER, "--spring.datasource.password=" + PASSWORD));
        }
        return Instance.start(name, args.toArray(String[]::new));
    }

    @Test
    void theSecondInstanceWritesThroughTheConnectionOfTheApplicationsDataSource() throws SQLException {
        assertThat(b.context().getBeanNamesForType(JdbcConnectionDetails.class)).isNotEmpty();
        assertThat(b.context().getBeanNamesForType(DataSource.class)).isNotEmpty();
        assertThat(a.context().getBeanNamesForType(DataSource.class)).isEmpty();

        long before = count(table + "_sessions");
        Browser browser = new Browser();
        assertThat(browser.post(b, "/cart?item=apple").body()).isEqualTo("b: apple");
        assertThat(count(table + "_sessions")).isEqualTo(before + 1);
        assertThat(browser.get(a, "/cart").body()).isEqualTo("a: apple");
    }

    @Test
    void healthShowsTheJdbcStoreUp() {
        Browser.Reply health = new Browser().get(b, "/actuator/health/sessionCluster");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"store\":\"jdbc\"");
    }

    @Override
    @AfterAll
    void stopBoth() {
        super.stopBoth();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String suffix : List.of("_attributes", "_sessions", "_evictions")) {
                s.execute("DROP TABLE IF EXISTS " + table + suffix);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String tableName) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + tableName)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv("SESSION_CLUSTER_POSTGRES_" + name);
        return value == null || value.isBlank() ? otherwise : value.trim();
    }
}
