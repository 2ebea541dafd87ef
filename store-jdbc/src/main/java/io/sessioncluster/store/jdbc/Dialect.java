package io.sessioncluster.store.jdbc;

import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL that differs between databases. Each method returns a template in which {@code {sessions}},
 * {@code {attributes}} and {@code {evictions}} stand for the table names (see {@link Tables}); everything else,
 * session ids included, is a bind parameter.
 */
abstract class Dialect {

    /** The {@code jdbcDialect} value, e.g. {@code postgresql}; also names the {@code schema-<name>.sql} resource. */
    abstract String name();

    /**
     * Inserts a session row (id, version, creation_time, last_access, max_inactive, expires_at, principal). For an id
     * that exists it either reports 0 rows or fails with an integrity violation (SQLState class 23): both mean
     * ALREADY_EXISTS.
     */
    String insertSession() {
        return "INSERT INTO {sessions} (id, version, creation_time, last_access, max_inactive, expires_at, principal)"
                + " VALUES (?, 1, ?, ?, ?, ?, ?)";
    }

    /**
     * The type of the {@code principal} column (the user's sessions index): text of up to
     * {@link io.sessioncluster.core.PrincipalChange#MAX_NAME_LENGTH} characters, compared exactly. As in
     * {@code schema-<name>.sql}; {@link SchemaUpgrade} adds it to older tables with this type.
     */
    String principalType() {
        return "VARCHAR(256)";
    }

    /** The column list of the index on {@code principal}, as in {@code schema-<name>.sql}. */
    String principalIndexColumns() {
        return "principal";
    }

    /** False for a principal name this database cannot hold as text, which therefore has no sessions. */
    boolean canStore(String principal) {
        return true;
    }

    /** Inserts or replaces one attribute row (session_id, name, content). */
    abstract String upsertAttribute();

    /**
     * True if the session update of {@link JdbcSessionStore} can end with {@code RETURNING version}, saving the
     * separate read of the new version.
     */
    boolean updateReturnsVersion() {
        return false;
    }

    /**
     * The database's clock as epoch milliseconds, a BIGINT expression. Lock leases are decided by it alone, so that
     * nodes whose clocks disagree still agree on when a lease ends.
     */
    abstract String nowMillis();

    /**
     * The lock grant {@code update} (an UPDATE of one session row that sets {@code lock_token = }{@link #nextToken()})
     * as a query returning the granted row's {@code (lock_token, version)} in the same statement; null if this
     * database cannot, and then {@link #readGrant()} follows the update on the same connection.
     */
    String grantReturning(String update) {
        return null;
    }

    /** The new token in a lock grant's {@code SET}. */
    String nextToken() {
        return "lock_token + 1";
    }

    /**
     * For a dialect without {@link #grantReturning}: a query (id as parameter) run right after the grant on the same
     * connection that returns the token this connection granted and the version, without a transaction: a later
     * grant by another node cannot be mistaken for this one.
     */
    String readGrant() {
        return null;
    }

    /** The end of a locking select that skips rows other transactions hold, or waits if the database cannot. */
    String lockSkippingLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    /** A serialization failure or deadlock: the transaction was rolled back and may simply run again. */
    boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("40");
    }

    /** A failure of the connection or of the server as a whole, rather than of this statement. */
    boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    static Dialect of(DialectChoice choice) {
        return switch (choice) {
            case POSTGRESQL -> new PostgresDialect();
            case MARIADB -> new MariaDbDialect();
            case H2 -> new H2Dialect();
            case AUTO -> throw new IllegalArgumentException("auto is resolved from the connection");
        };
    }

    /** The dialect for a {@code DatabaseMetaData.getDatabaseProductName()}, or null if none fits. */
    static Dialect detect(String productName) {
        String product = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return new PostgresDialect();
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return new MariaDbDialect();
        }
        if (product.equals("h2")) {
            return new H2Dialect();
        }
        return null;
    }
}
