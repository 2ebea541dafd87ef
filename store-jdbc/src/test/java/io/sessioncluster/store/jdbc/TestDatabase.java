package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database the integration tests use. PostgreSQL and MariaDB: the JDBC URL in {@code SESSION_CLUSTER_POSTGRES_URL}
 * / {@code SESSION_CLUSTER_MARIADB_URL} (user and password in {@code ..._USER} / {@code ..._PASSWORD}) if set; else a
 * Testcontainers server if Docker is available; else the local servers (PostgreSQL 127.0.0.1:5432 database
 * {@code test} as {@code postgres}; MariaDB 127.0.0.1:3306 database {@code test} as {@code root}, no password).
 * H2: one in-memory database shared by the JVM. Each test class isolates itself with a random {@code tableName}
 * prefix and drops its tables afterwards.
 */
record TestDatabase(String name, String url, String user, String password) {

    private static final Pattern HOST_PORT = Pattern.compile("//([^:/?]+):(\\d+)");
    private static TestDatabase postgres;
    private static TestDatabase mariadb;

    static synchronized TestDatabase postgres() {
        if (postgres == null) {
            postgres = fromEnvOrContainer("POSTGRES", "postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres",
                    "postgres:15.10", 5432, Map.of("POSTGRES_DB", "test", "POSTGRES_HOST_AUTH_METHOD", "trust"));
        }
        return postgres;
    }

    static synchronized TestDatabase mariadb() {
        if (mariadb == null) {
            mariadb = fromEnvOrContainer("MARIADB", "mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root",
                    "mariadb:10.11.10", 3306, Map.of("MARIADB_DATABASE", "test", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1"));
        }
        return mariadb;
    }

    static TestDatabase h2() {
        return new TestDatabase("h2", "jdbc:h2:mem:session-cluster-tests;DB_CLOSE_DELAY=-1", "", "");
    }

    private static TestDatabase fromEnvOrContainer(String env, String name, String localUrl, String localUser,
                                                   String image, int port, Map<String, String> containerEnv) {
        String url = System.getenv("SESSION_CLUSTER_" + env + "_URL");
        String user = System.getenv().getOrDefault("SESSION_CLUSTER_" + env + "_USER", localUser);
        String password = System.getenv().getOrDefault("SESSION_CLUSTER_" + env + "_PASSWORD", "");
        if (url != null && !url.isBlank()) {
            return new TestDatabase(name, url.trim(), user, password);
        }
        if (dockerAvailable()) {
            @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
            GenericContainer<?> server = new GenericContainer<>(DockerImageName.parse(image)).withExposedPorts(port)
                    .withEnv(containerEnv).waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(2)));
            server.start();
            return new TestDatabase(name, localUrl.replace("127.0.0.1:" + port,
                    server.getHost() + ":" + server.getMappedPort(port)), localUser, "");
        }
        return new TestDatabase(name, localUrl, localUser, password);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A fresh table prefix, unique per call. */
    static String randomPrefix(String label) {
        return "t" + label.toLowerCase(Locale.ROOT) + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    String host() {
        return hostPort().group(1);
    }

    int port() {
        return Integer.parseInt(hostPort().group(2));
    }

    /** This database's URL with the server at {@code 127.0.0.1:port} instead, e.g. a proxy in front of it. */
    String urlVia(int port) {
        return url.replaceFirst("//[^:/?]+:\\d+", "//127.0.0.1:" + port);
    }

    private Matcher hostPort() {
        Matcher m = HOST_PORT.matcher(url);
        if (!m.find()) {
            throw new IllegalStateException("no host:port in " + url);
        }
        return m;
    }

    /** The raw {@code <Manager>} attributes of a store over this database with tables {@code prefix}. */
    Map<String, String> settings(String prefix) {
        Map<String, String> raw = new HashMap<>();
        raw.put("jdbcUrl", url);
        raw.put("jdbcUser", user);
        raw.put("jdbcPassword", password);
        raw.put("tableName", prefix);
        raw.put("createSchema", "true");
        raw.put("evictionPollMillis", "100");
        raw.put("jdbcTimeoutMillis", "3000");
        raw.put("jdbcPoolSize", "8");
        return raw;
    }

    SessionStore open(String prefix) {
        return open(settings(prefix));
    }

    static SessionStore open(Map<String, String> raw) {
        return new JdbcSessionStoreProvider().open(Settings.parse(JdbcSettings.ALL, raw), "/test");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Runs statements on a connection of its own, in autocommit. */
    void execute(String... sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tables of {@code prefix} as the version before the user's sessions index left them: no principal. */
    void dropPrincipalColumn(String prefix) {
        dropPrincipalIndex(prefix);
        execute("ALTER TABLE " + prefix + "_sessions DROP COLUMN principal");
    }

    void dropPrincipalIndex(String prefix) {
        String index = prefix + "_sessions_principal";
        execute(name.equals("mariadb") ? "DROP INDEX " + index + " ON " + prefix + "_sessions" : "DROP INDEX " + index);
    }

    void clear(String prefix) {
        execute("DELETE FROM " + prefix + "_attributes", "DELETE FROM " + prefix + "_sessions");
    }

    void dropTables(String prefix) {
        execute("DROP TABLE IF EXISTS " + prefix + "_attributes", "DROP TABLE IF EXISTS " + prefix + "_sessions",
                "DROP TABLE IF EXISTS " + prefix + "_evictions");
    }

    @Override
    public String toString() {
        return name;
    }
}
