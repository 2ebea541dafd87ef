package io.sessioncluster.tomcat;

import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Nodes of one test sharing sessions through a database, with a fresh table prefix per test whose tables are dropped
 * afterwards. Register as an instance field with {@code @RegisterExtension}. Databases: PostgreSQL and MariaDB from
 * {@code SESSION_CLUSTER_POSTGRES_URL} / {@code SESSION_CLUSTER_MARIADB_URL} (and {@code ..._USER},
 * {@code ..._PASSWORD}), by default the local servers; H2 in memory, shared by the nodes since they share a JVM.
 */
final class JdbcCluster implements AfterEachCallback {

    /** One test database. */
    record Db(String name, String url, String user, String password) {

        static Db named(String name) {
            return switch (name) {
                case "postgresql" -> fromEnv(name, "POSTGRES", "jdbc:postgresql://127.0.0.1:5432/test", "postgres");
                case "mariadb" -> fromEnv(name, "MARIADB", "jdbc:mariadb://127.0.0.1:3306/test", "root");
                case "h2" -> new Db(name, "jdbc:h2:mem:session-cluster-it;DB_CLOSE_DELAY=-1", "", "");
                default -> throw new IllegalArgumentException(name);
            };
        }

        private static Db fromEnv(String name, String env, String url, String user) {
            Map<String, String> vars = System.getenv();
            String fromEnv = vars.get("SESSION_CLUSTER_" + env + "_URL");
            return new Db(name, fromEnv == null || fromEnv.isBlank() ? url : fromEnv.trim(),
                    vars.getOrDefault("SESSION_CLUSTER_" + env + "_USER", user),
                    vars.getOrDefault("SESSION_CLUSTER_" + env + "_PASSWORD", ""));
        }

        @Override
        public String toString() {
            return name;
        }
    }


    final String prefix = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Started started = new Started();
    private final List<Db> used = new ArrayList<>();
    private final List<String> tableNames = new ArrayList<>(List.of(prefix));

    /** A {@code tableName} of this test besides {@link #prefix} (a store of its own), dropped afterwards too. */
    String tableName(String suffix) {
        String name = prefix + "_" + suffix;
        tableNames.add(name);
        return name;
    }

    /** Manager settings for a node over {@code db} with its own pool; {@code extra} are name/value pairs. */
    Map<String, String> settings(Db db, String... extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("store", "jdbc");
        settings.put("jdbcUrl", db.url());
        settings.put("jdbcUser", db.user());
        settings.put("jdbcPassword", db.password());
        settings.put("tableName", prefix);
        settings.put("createSchema", "true");
        settings.put("evictionPollMillis", "100");
        settings.put("jdbcTimeoutMillis", "2000");
        settings.put("jdbcPoolSize", "4");
        if (!RedisFixture.CODEC.isEmpty()) {
            settings.put("codec", RedisFixture.CODEC);
        }
        for (int i = 0; i + 1 < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return settings;
    }

    TestNode node(Db db, String name, String... extra) {
        return start(db, TestNode.named(name).settings(settings(db, extra)));
    }

    /** Starts a node over {@code db} built elsewhere (with {@link #settings}), and closes it after the test. */
    TestNode start(Db db, TestNode.Builder builder) {
        use(db);
        return keep(builder.start());
    }

    /**
     * A node whose Manager finds its database as a container resource, the production way: Tomcat's naming enabled
     * and a {@code <Resource name="jdbc/sessions" type="javax.sql.DataSource">} (a HikariCP pool made by
     * {@code HikariJNDIFactory}) on the context, {@code dataSourceName="jdbc/sessions"} on the Manager.
     */
    TestNode jndiNode(Db db, String name) {
        return jndiNode(db, name, "jdbc/sessions");
    }

    /** As {@link #jndiNode(Db, String)}, with the Manager's {@code dataSourceName} set to {@code dataSourceName}. */
    TestNode jndiNode(Db db, String name, String dataSourceName) {
        use(db);
        ContextResource resource = new ContextResource();
        resource.setName("jdbc/sessions");
        resource.setType("javax.sql.DataSource");
        resource.setAuth("Container");
        resource.setCloseMethod("close");
        resource.setProperty("factory", "com.zaxxer.hikari.HikariJNDIFactory");
        resource.setProperty("jdbcUrl", db.url());
        if (!db.user().isEmpty()) {
            resource.setProperty("username", db.user());
        }
        resource.setProperty("maximumPoolSize", "4");
        Map<String, String> settings = settings(db);
        settings.remove("jdbcUrl");
        settings.remove("jdbcUser");
        settings.remove("jdbcPassword");
        settings.remove("jdbcPoolSize");
        settings.put("dataSourceName", dataSourceName);
        return keep(TestNode.named(name).resource(resource).settings(settings).start());
    }

    /** Overwrites one attribute's stored bytes, as a damaged row would hold them. */
    void corruptAttribute(Db db, String baseId, String name, byte[] content) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement s = c.prepareStatement("UPDATE " + prefix + "_attributes SET content = ?"
                     + " WHERE session_id = ? AND name = ?")) {
            s.setBytes(1, content);
            s.setString(2, baseId);
            s.setBytes(3, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("no attribute row " + name);
            }
        }
    }

    /** Stops a node during the test (it is not closed again afterwards). */
    void stop(AutoCloseable node) throws Exception {
        started.forget(node);
        node.close();
    }

    private void use(Db db) {
        if (!used.contains(db)) {
            used.add(db);
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        return started.keep(closeable);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            started.closeAll();
        } finally {
            for (Db db : used) {
                try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                     Statement s = c.createStatement()) {
                    for (String tables : tableNames) {
                        s.execute("DROP TABLE IF EXISTS " + tables + "_attributes");
                        s.execute("DROP TABLE IF EXISTS " + tables + "_sessions");
                        s.execute("DROP TABLE IF EXISTS " + tables + "_evictions");
                    }
                }
            }
        }
    }
}
