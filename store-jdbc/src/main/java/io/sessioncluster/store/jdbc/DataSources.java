package io.sessioncluster.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sessioncluster.core.config.ConfigException;

import java.util.List;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/** Where the store's connections come from: a JNDI name the container binds, or a HikariCP pool of our own. */
final class DataSources {

    private DataSources() {
    }

    /**
     * Looks up a container-managed data source. Must run on a thread bound to the web application's naming context:
     * Tomcat binds it on the thread that starts the context (where the Manager opens the store) and on request
     * threads (where a store whose database was down at start is opened later).
     */
    static DataSource lookup(String name) {
        String fullName = name.startsWith("java:") ? name : "java:comp/env/" + name;
        Object found;
        try {
            found = new InitialContext().lookup(fullName);
        } catch (NamingException e) {
            throw invalid("dataSourceName [" + name + "]: no JNDI resource [" + fullName + "] (" + e + "); define it"
                    + " with a <Resource type=\"javax.sql.DataSource\"> in context.xml, or a <ResourceLink> to a global one");
        }
        if (!(found instanceof DataSource dataSource)) {
            throw invalid("dataSourceName [" + name + "]: JNDI resource [" + fullName + "] is a "
                    + (found == null ? "null" : found.getClass().getName()) + ", not a javax.sql.DataSource");
        }
        return dataSource;
    }

    /**
     * A pool that does not connect before first use, so that a node starts while the database is down; its
     * connection timeout and the drivers' socket timeouts keep every operation within {@code timeoutMillis}.
     */
    static HikariDataSource pool(String url, String user, String password, int poolSize, int timeoutMillis,
                                 String contextName) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("session-cluster-jdbc" + contextName.replaceAll("[^A-Za-z0-9_./-]", "_"));
        config.setRegisterMbeans(false);
        config.setJdbcUrl(url);
        if (!user.isEmpty()) {
            config.setUsername(user);
        }
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(timeoutMillis);
        config.setValidationTimeout(Math.max(250, timeoutMillis / 2));
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        int socketMillis = timeoutMillis + 2000; // a statement may run up to the query timeout, rounded up to seconds
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("connectTimeout", Integer.toString(Math.max(1, timeoutMillis / 1000)));
            config.addDataSourceProperty("socketTimeout", Integer.toString((socketMillis + 999) / 1000));
            config.addDataSourceProperty("logServerErrorDetail", "false"); // key values (session ids) stay out of messages
        } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            config.addDataSourceProperty("connectTimeout", Integer.toString(timeoutMillis));
            config.addDataSourceProperty("socketTimeout", Integer.toString(socketMillis));
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // e.g. no driver for the URL; the URL may hold a password, so it is not repeated here
            throw invalid("jdbcUrl [****]: cannot create a connection pool: " + e.getMessage());
        }
    }

    static ConfigException invalid(String problem) {
        return new ConfigException("Invalid settings of store [jdbc]", List.of(problem));
    }
}
