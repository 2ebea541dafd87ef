package io.sessioncluster.store.jdbc;

import java.sql.SQLException;

/** MariaDB 10.6+ and MySQL 8+ with InnoDB: {@code INSERT IGNORE}, {@code ON DUPLICATE KEY UPDATE}, {@code SKIP LOCKED}. */
final class MariaDbDialect extends Dialect {

    private static final int DEADLOCK = 1213;
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int QUERY_INTERRUPTED = 1317;

    @Override
    String name() {
        return "mariadb";
    }

    @Override
    String insertSession() {
        // IGNORE: an existing id reports 0 rows instead of a duplicate-key error. The values are validated before,
        // so IGNORE cannot hide a truncation.
        return super.insertSession().replace("INSERT INTO", "INSERT IGNORE INTO");
    }

    @Override
    String upsertAttribute() {
        return "INSERT INTO {attributes} (session_id, name, content) VALUES (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE content = VALUES(content)";
    }

    @Override
    boolean isRetryable(SQLException e) {
        return super.isRetryable(e) || e.getErrorCode() == DEADLOCK || e.getErrorCode() == LOCK_WAIT_TIMEOUT;
    }

    @Override
    boolean isUnavailable(SQLException e) {
        // 70100: statement cancelled by our query timeout.
        return super.isUnavailable(e) || "70100".equals(e.getSQLState()) || e.getErrorCode() == QUERY_INTERRUPTED;
    }
}
