package io.sessioncluster.store.jdbc;

/** The values of the {@code jdbcDialect} setting. */
enum DialectChoice {
    /** Detected from the connection's database product name. */
    AUTO,
    POSTGRESQL,
    /** MariaDB 10.6+ and MySQL 8+. */
    MARIADB,
    H2
}
