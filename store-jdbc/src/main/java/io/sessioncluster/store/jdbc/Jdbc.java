package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

/**
 * Runs one store operation on a pooled connection: in a transaction when asked, again after a deadlock or
 * serialization failure (bounded), and with every {@link SQLException} mapped to the SPI's exceptions.
 *
 * <p>The lock order of every transaction (the session row first, then its attribute rows) means deadlocks should
 * not happen; the retry is a safety net for what a database may still report, e.g. InnoDB next-key locks between
 * neighbouring sessions. Only errors that guarantee a rollback are retried, so a write is never applied twice.
 */
final class Jdbc {

    static final int MAX_ATTEMPTS = 5;
    private static final System.Logger LOG = Loggers.of(Jdbc.class);

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final int queryTimeoutSeconds;

    Jdbc(DataSource dataSource, Dialect dialect, int timeoutMillis) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.queryTimeoutSeconds = Math.max(1, (timeoutMillis + 999) / 1000);
    }

    Dialect dialect() {
        return dialect;
    }

    /** Runs {@code work} in autocommit mode: for single statements and batches that need no atomicity. */
    <T> T call(String operation, String id, Work<T> work) {
        return run(operation, id, id == null ? List.of() : List.of(id), List.of(), false, work);
    }

    /**
     * As {@link #call}, for statements about no one session whose parameters hold ids or principal names: none of
     * them may appear in a message.
     */
    <T> T callHiding(String operation, Collection<String> ids, Collection<String> names, Work<T> work) {
        return run(operation, null, ids, names, false, work);
    }

    /** Runs {@code work} in one transaction, committed if it returns and rolled back if it throws. */
    <T> T transaction(String operation, String id, Work<T> work) {
        return transaction(operation, id, List.of(), work);
    }

    /** As {@link #transaction(String, String, Work)}, with principal names that no message may show. */
    <T> T transaction(String operation, String id, Collection<String> names, Work<T> work) {
        return run(operation, id, id == null ? List.of() : List.of(id), names, true, work);
    }

    /** A transaction over several sessions, e.g. a touch batch: none of their ids may appear in a message. */
    <T> T transactionOver(String operation, Collection<String> ids, Work<T> work) {
        return transactionOver(operation, ids, List.of(), work);
    }

    /** As {@link #transactionOver(String, Collection, Work)}, with principal names that no message may show. */
    <T> T transactionOver(String operation, Collection<String> ids, Collection<String> names, Work<T> work) {
        return run(operation, null, ids, names, true, work);
    }

    /** A prepared statement with the store's query timeout. */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(queryTimeoutSeconds);
        return statement;
    }

    private <T> T run(String operation, String id, Collection<String> ids, Collection<String> names,
                      boolean transactional, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = connect(operation, id)) {
                if (!transactional) {
                    return work.run(connection);
                }
                return inTransaction(connection, work);
            } catch (SQLException e) {
                if (dialect.isRetryable(e) && attempt < MAX_ATTEMPTS) {
                    int failed = attempt;
                    LOG.log(System.Logger.Level.DEBUG, () -> operation + ": retrying after [" + e.getSQLState() + "/"
                            + e.getErrorCode() + "], attempt " + failed);
                    pause(attempt);
                    continue;
                }
                throw translate(operation, id, ids, names, e, attempt);
            }
        }
    }

    /**
     * A pooled connection. Any failure to get one means the database cannot be used right now, whatever the pool
     * (ours or a container's) reports as SQLState: unavailable, so that a node can start while the database is down.
     */
    private Connection connect(String operation, String id) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            String subject = id == null ? operation : operation + " of session " + SessionIds.redact(id);
            throw new StoreUnavailableException(subject + " failed: the database is unavailable or did not answer"
                    + " within jdbcTimeoutMillis: no connection: [" + e.getSQLState() + "/" + e.getErrorCode() + "] "
                    + e.getMessage(), e);
        }
    }

    private static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        boolean committed = false;
        try {
            T result = work.run(connection);
            connection.commit();
            committed = true;
            return result;
        } finally {
            if (!committed) {
                rollbackQuietly(connection);
            }
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the pool resets a broken connection on its own
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters; a dead connection has rolled back already
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying", e);
        }
    }

    /**
     * The SPI exception for a failure; the message names the operation and the redacted id, never the full id, and
     * never a principal name.
     */
    StoreException translate(String operation, String id, Collection<String> ids, Collection<String> names,
                             SQLException e, int attempts) {
        String subject = id == null ? operation : operation + " of session " + SessionIds.redact(id);
        String code = "[" + e.getSQLState() + "/" + e.getErrorCode() + "] ";
        String message = String.valueOf(e.getMessage());
        // A name cannot be redacted as an id is (its first characters are the name); and a short one, replaced,
        // would garble the message: the driver's text is left out whole.
        boolean quotesName = names.stream().anyMatch(name -> name != null && !name.isEmpty() && message.contains(name));
        String detail = code + (quotesName ? "(the driver's message is left out: it quotes a principal name)" : message);
        for (String secret : ids) {
            if (!secret.isEmpty()) {
                // drivers quote key values in constraint errors, and MariaDB's the whole statement with its parameters
                detail = detail.replace(secret, SessionIds.redact(secret));
            }
        }
        if (isUnavailable(e)) {
            return new StoreUnavailableException(subject + " failed: the database is unavailable or did not answer"
                    + " within jdbcTimeoutMillis: " + detail, e);
        }
        if (dialect.isRetryable(e)) {
            return new StoreUnavailableException(subject + " failed after " + attempts
                    + " attempts that each met a deadlock or serialization failure: " + detail, e);
        }
        return new StoreException(subject + " failed: " + detail, e);
    }

    boolean isUnavailable(SQLException e) {
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException || e instanceof SQLTimeoutException || dialect.isUnavailable(e);
    }
}
