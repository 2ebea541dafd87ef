package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.config.Setting;

import java.util.List;

/** The settings of the {@code jdbc} store; each is a {@code <Manager>} attribute. */
final class JdbcSettings {

    static final Setting<String> DATA_SOURCE_NAME = Setting.of("dataSourceName", "",
            "empty, or a JNDI name such as jdbc/sessions or java:comp/env/jdbc/sessions",
            "A javax.sql.DataSource that Tomcat defines (a <Resource> in context.xml or a <ResourceLink> to a global"
                    + " one); looked up under java:comp/env/ unless the name starts with java:. Set this or jdbcUrl.",
            raw -> {
                if (raw.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("no whitespace");
                }
                return raw;
            });

    static final Setting<String> JDBC_URL = Setting.of("jdbcUrl", "",
            "empty, or a JDBC URL starting with jdbc:, e.g. jdbc:postgresql://db:5432/app",
            "The database to connect to through the store's own HikariCP pool; set this or dataSourceName."
                    + " May hold a password (masked in every message and log line).",
            raw -> {
                if (!raw.isEmpty() && !raw.startsWith("jdbc:")) {
                    throw new IllegalArgumentException("must start with jdbc:");
                }
                return raw;
            }).secret();

    static final Setting<String> JDBC_USER = Setting.text("jdbcUser", "",
            "User name for jdbcUrl; empty to use the URL's or the driver's default.");

    static final Setting<String> JDBC_PASSWORD = Setting.of("jdbcPassword", "", "any text",
            "Password for jdbcUrl (masked in every message and log line).", raw -> raw).secret();

    static final Setting<DialectChoice> DIALECT = Setting.oneOf("jdbcDialect", DialectChoice.AUTO,
            "The SQL dialect: auto detects it from the connection; mariadb also serves MySQL 8+.");

    static final Setting<String> TABLE_NAME = Setting.of("tableName", "session_cluster",
            "a letter, then up to 39 letters, digits or _",
            "Prefix of the store's tables <tableName>_sessions, <tableName>_attributes and <tableName>_evictions,"
                    + " so that several applications can share one database.",
            raw -> {
                if (!Tables.PREFIX.matcher(raw).matches()) {
                    throw new IllegalArgumentException();
                }
                return raw;
            });

    static final Setting<Boolean> CREATE_SCHEMA = Setting.bool("createSchema", false,
            "Create the tables (CREATE TABLE IF NOT EXISTS, from schema-<dialect>.sql) when the store opens, and add"
                    + " the columns that tables created by an earlier version lack (ALTER TABLE ... ADD COLUMN)."
                    + " Off by default: production schemas are usually created by a DBA or a migration tool.");

    static final Setting<Integer> TIMEOUT_MILLIS = Setting.integer("jdbcTimeoutMillis", 5000, 250, 600_000,
            "Longest time, in milliseconds, to wait for a pooled connection, and (rounded up to seconds) for one"
                    + " statement, before the operation fails as unavailable.");

    static final Setting<Integer> POOL_SIZE = Setting.integer("jdbcPoolSize", 10, 1, 1000,
            "Largest number of connections of the store's own pool (jdbcUrl only).");

    static final Setting<Integer> EVICTION_POLL_MILLIS = Setting.integer("evictionPollMillis", 1000, 50, 600_000,
            "How often, in milliseconds, a node reads the eviction log to drop local copies of sessions that other"
                    + " nodes invalidated, renamed, expired or took over.");

    static final List<Setting<?>> ALL = List.of(DATA_SOURCE_NAME, JDBC_URL, JDBC_USER, JDBC_PASSWORD, DIALECT,
            TABLE_NAME, CREATE_SCHEMA, TIMEOUT_MILLIS, POOL_SIZE, EVICTION_POLL_MILLIS);

    private JdbcSettings() {
    }
}
