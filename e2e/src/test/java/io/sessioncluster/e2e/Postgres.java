package io.sessioncluster.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The PostgreSQL the JDBC store runs on: the same environment variables as the other JDBC tests. */
final class Postgres {

    private Postgres() {
    }

    static String url() {
        String url = System.getenv("SESSION_CLUSTER_POSTGRES_URL");
        return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test" : url.trim();
    }

    static String user() {
        return System.getenv().getOrDefault("SESSION_CLUSTER_POSTGRES_USER", "postgres");
    }

    static String password() {
        return System.getenv().getOrDefault("SESSION_CLUSTER_POSTGRES_PASSWORD", "");
    }

    /** Drops the three tables of a run (attributes first: they reference the sessions). */
    static void dropTables(String prefix) {
        try (Connection connection = DriverManager.getConnection(url(), user(), password());
             Statement statement = connection.createStatement()) {
            for (String suffix : new String[] {"_attributes", "_evictions", "_sessions"}) {
                statement.execute("DROP TABLE IF EXISTS " + prefix + suffix);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the tables " + prefix + "_*", e);
        }
    }
}
