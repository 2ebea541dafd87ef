package io.sessioncluster.tomcat;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String prefix = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Db> used = new ArrayList<>();

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
        use(db);
        return keep(TestNode.named(name).settings(settings(db, extra)).start());
    }

    /**
     * A node whose Manager finds its database as a container resource, the production way: Tomcat's naming enabled
     * and a {@code <Resource name="jdbc/sessions" type="javax.sql.DataSource">} (a HikariCP pool made by
     * {@code HikariJNDIFactory}) on the context, {@code dataSourceName="jdbc/sessions"} on the Manager.
     */
    JndiNode jndiNode(Db db, String name) {
        return jndiNode(db, name, "jdbc/sessions");
    }

    /** As {@link #jndiNode(Db, String)}, with the Manager's {@code dataSourceName} set to {@code dataSourceName}. */
    JndiNode jndiNode(Db db, String name, String dataSourceName) {
        use(db);
        Path base;
        try {
            base = Files.createTempDirectory("sc-jndi-" + name + "-");
            Files.createDirectories(base.resolve("webapp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector();
        tomcat.getHost().setAutoDeploy(false);
        tomcat.getEngine().setJvmRoute(name);
        tomcat.enableNaming();
        Context context = tomcat.addContext("", base.resolve("webapp").toString());
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
        context.getNamingResources().addResource(resource);
        ClusteredSessionManager manager = new ClusteredSessionManager();
        manager.setProcessExpiresFrequency(1);
        Map<String, String> settings = settings(db);
        settings.remove("jdbcUrl");
        settings.remove("jdbcUser");
        settings.remove("jdbcPassword");
        settings.remove("jdbcPoolSize");
        settings.put("dataSourceName", dataSourceName);
        settings.forEach(manager::setProperty);
        context.setManager(manager);
        Tomcat.addServlet(context, "test", new TestServlet()).addMapping("/s");
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            TestNode.deleteTree(base);
            throw new IllegalStateException(e);
        }
        return keep(new JndiNode(tomcat, context, base));
    }

    /** A node started by {@link #jndiNode}, called with plain HTTP (it is not a {@link TestNode}). */
    record JndiNode(Tomcat tomcat, Context context, Path base) implements AutoCloseable {

        boolean isAvailable() {
            return context.getState() == org.apache.catalina.LifecycleState.STARTED;
        }

        /** Sends {@code op} with a session cookie (or none); answers the body and the new cookie, if any. */
        String[] call(String cookie, String op, String name, String value) throws Exception {
            String query = "op=" + op + "&name=" + name + (value == null ? "" : "&value=" + value);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + tomcat.getConnector().getLocalPort() + "/s?" + query)).timeout(Duration.ofSeconds(20));
            if (cookie != null) {
                request.header("Cookie", "JSESSIONID=" + cookie);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String setCookie = response.headers().allValues("set-cookie").stream().filter(h -> h.startsWith("JSESSIONID="))
                    .map(h -> h.substring("JSESSIONID=".length()).split(";", 2)[0]).findFirst().orElse(null);
            return new String[] {response.statusCode() + " " + response.body(), setCookie};
        }

        @Override
        public void close() throws LifecycleException {
            try {
                tomcat.stop();
                tomcat.destroy();
            } finally {
                TestNode.deleteTree(base);
            }
        }
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
        closeables.remove(node);
        node.close();
    }

    private void use(Db db) {
        if (!used.contains(db)) {
            used.add(db);
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeables.add(0, closeable);
        return closeable;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable c : closeables) {
                c.close();
            }
            closeables.clear();
        } finally {
            for (Db db : used) {
                try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                     Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + prefix + "_attributes");
                    s.execute("DROP TABLE IF EXISTS " + prefix + "_sessions");
                    s.execute("DROP TABLE IF EXISTS " + prefix + "_evictions");
                }
            }
        }
    }
}
