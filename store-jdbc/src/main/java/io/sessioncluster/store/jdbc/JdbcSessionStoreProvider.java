package io.sessioncluster.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.config.Setting;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;
import io.sessioncluster.core.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

/**
 * Provides the JDBC store, selected with {@code store="jdbc"}. Opening connects once, to detect the dialect and
 * create or check the tables; while the database is down it fails with
 * {@link io.sessioncluster.core.store.StoreUnavailableException} and the Manager opens it again on use.
 */
public final class JdbcSessionStoreProvider implements SessionStoreProvider {

    public static final String NAME = "jdbc";
    private static final System.Logger LOG = Loggers.of(JdbcSessionStoreProvider.class);

    /**
     * JNDI data sources found by this provider instance (one per Manager start). The first open runs where the
     * application's naming context is bound; an open retried later (database down at start) may run on a thread
     * without it, and reuses the data source found then.
     */
    private final Map<String, DataSource> jndiDataSources = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Setting<?>> settings() {
        return JdbcSettings.ALL;
    }

    @Override
    public List<String> problems(Settings settings) {
        return combinationProblems(settings.get(JdbcSettings.DATA_SOURCE_NAME), settings.get(JdbcSettings.JDBC_URL),
                settings.get(JdbcSettings.JDBC_USER), settings.get(JdbcSettings.JDBC_PASSWORD));
    }

    @Override
    public SessionStore open(Settings settings, String contextName) {
        String jndiName = settings.get(JdbcSettings.DATA_SOURCE_NAME);
        String url = settings.get(JdbcSettings.JDBC_URL);
        checkCombination(jndiName, url, settings.get(JdbcSettings.JDBC_USER), settings.get(JdbcSettings.JDBC_PASSWORD));
        int timeoutMillis = settings.get(JdbcSettings.TIMEOUT_MILLIS);
        DataSource dataSource;
        AutoCloseable pool;
        if (!jndiName.isEmpty()) {
            dataSource = jndiDataSources.computeIfAbsent(jndiName, DataSources::lookup);
            pool = () -> { }; // the container owns it
        } else {
            HikariDataSource hikari = DataSources.pool(url, settings.get(JdbcSettings.JDBC_USER),
                    settings.get(JdbcSettings.JDBC_PASSWORD), settings.get(JdbcSettings.POOL_SIZE), timeoutMillis,
                    contextName);
            dataSource = hikari;
            pool = hikari;
        }
        try {
            return open(dataSource, pool, settings.get(JdbcSettings.DIALECT), new Tables(settings.get(JdbcSettings.TABLE_NAME)),
                    settings.get(JdbcSettings.CREATE_SCHEMA), timeoutMillis, settings.get(JdbcSettings.EVICTION_POLL_MILLIS));
        } catch (RuntimeException e) {
            closeQuietly(pool);
            throw e;
        }
    }

    /** Opens a store over any data source; tests pass their own (e.g. one that counts statements). */
    static JdbcSessionStore open(DataSource dataSource, AutoCloseable onClose, DialectChoice choice, Tables tables,
                                 boolean createSchema, int timeoutMillis, int evictionPollMillis) {
        Dialect probe = choice == DialectChoice.AUTO ? new H2Dialect() : Dialect.of(choice); // maps errors until detected
        Jdbc connecting = new Jdbc(dataSource, probe, timeoutMillis);
        Dialect dialect = connecting.call("open", null, c -> {
            Dialect chosen = choice == DialectChoice.AUTO ? detect(c) : probe;
            if (createSchema) {
                createSchema(c, connecting, tables, chosen);
            }
            checkTables(c, tables);
            SchemaUpgrade.upgrade(c, connecting, chosen, tables, createSchema);
            return chosen;
        });
        Jdbc jdbc = new Jdbc(dataSource, dialect, timeoutMillis);
        LOG.log(System.Logger.Level.INFO, () -> "JDBC session store open: dialect [" + dialect.name() + "], tables ["
                + tables.sessions() + ", " + tables.attributes() + ", " + tables.evictions() + "]");
        return new JdbcSessionStore(jdbc, tables, new EvictionLog(jdbc, tables, evictionPollMillis), onClose);
    }

    private static Dialect detect(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        Dialect dialect = Dialect.detect(product);
        if (dialect == null) {
            throw DataSources.invalid("jdbcDialect [auto]: the database [" + product + "] is none of PostgreSQL,"
                    + " MariaDB, MySQL or H2");
        }
        return dialect;
    }

    private static void createSchema(Connection c, Jdbc jdbc, Tables tables, Dialect dialect) throws SQLException {
        // Tables of an earlier version gain their new columns first: the script's CREATE INDEX names them.
        if (SchemaUpgrade.isReadable(c, jdbc, tables.sessions())) {
            SchemaUpgrade.upgrade(c, jdbc, dialect, tables, true);
        }
        // Nodes that start together race on CREATE ... IF NOT EXISTS, and PostgreSQL may answer the loser with a
        // duplicate key in its own catalog. The winner's object is committed by then, so running the script again
        // gets at least one statement further: one attempt per statement, plus one, always finishes.
        List<String> statements = tables.ddl(dialect);
        int attempts = statements.size() + 1;
        for (int attempt = 1; ; attempt++) {
            try (Statement s = c.createStatement()) {
                for (String ddl : statements) {
                    s.execute(ddl);
                }
                return;
            } catch (SQLException e) {
                if (attempt >= attempts || !isConcurrentCreate(e)) {
                    throw e;
                }
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        }
    }

    /** Unique violation, or a table, index or type that appeared between the existence check and the create. */
    static boolean isConcurrentCreate(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("23505") || state.equals("42P07") || state.equals("42710")
                || state.equals("42S01") || state.equals("42000") && e.getErrorCode() == 1050);
    }

    /** A clear message now rather than "relation does not exist" on the first request. */
    private static void checkTables(Connection c, Tables tables) throws SQLException {
        for (String table : List.of(tables.sessions(), tables.attributes(), tables.evictions())) {
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                    throw e;
                }
                throw new StoreException("table [" + table + "] cannot be read (" + e.getMessage() + "): create the"
                        + " tables with schema-<dialect>.sql from the store-jdbc jar, or set createSchema=\"true\"", e);
            }
        }
    }

    /** Checks what no single setting can check alone; the single values were validated before. */
    static void checkCombination(String jndiName, String url, String user, String password) {
        List<String> problems = combinationProblems(jndiName, url, user, password);
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid settings of store [jdbc]", problems);
        }
    }

    private static List<String> combinationProblems(String jndiName, String url, String user, String password) {
        List<String> problems = new ArrayList<>();
        if (jndiName.isEmpty() && url.isEmpty()) {
            problems.add("dataSourceName, jdbcUrl: set one of them (a JNDI DataSource name, or a JDBC URL)");
        }
        if (!jndiName.isEmpty() && !url.isEmpty()) {
            problems.add("dataSourceName [" + jndiName + "], jdbcUrl [****]: set only one of them");
        }
        if (!jndiName.isEmpty() && (!user.isEmpty() || !password.isEmpty())) {
            problems.add("jdbcUser, jdbcPassword: only with jdbcUrl; a JNDI DataSource carries its own credentials");
        }
        return problems;
    }

    private static void closeQuietly(AutoCloseable pool) {
        try {
            pool.close();
        } catch (Exception ignored) {
            // already failing; the original exception is what the caller needs
        }
    }
}
