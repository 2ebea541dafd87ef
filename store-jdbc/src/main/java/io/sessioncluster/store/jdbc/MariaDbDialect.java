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
        // IGNORE: an existing id reports 0 rows instead of a duplicate-key error. The values are validated before
        // (a principal name is at most 256 UTF-16 chars, at most 768 UTF-8 bytes), so IGNORE cannot hide a truncation.
        return super.insertSession().replace("INSERT INTO", "INSERT IGNORE INTO");
    }

    @Override
    String principalType() {
        // Binary, like the ids: a utf8mb4 VARCHAR compares by the table's collation, often case-insensitive and
        // PAD SPACE, which would answer "Alice " with alice's sessions. 768 bytes: 256 UTF-16 chars, 3 bytes each.
        return "VARBINARY(768)";
    }

    @Override
    String principalIndexColumns() {
        // A 255-byte prefix: an index key of 768 bytes exceeds the 767 of InnoDB's COMPACT and REDUNDANT row formats;
        // an equality lookup still narrows to the name's rows and compares the whole value there.
        return "principal(255)";
    }

    @Override
    String upsertAttribute() {
        return "INSERT INTO {attributes} (session_id, name, content) VALUES (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE content = VALUES(content)";
    }

    @Override
    String nowMillis() {
        // UTC arithmetic on DATETIMEs: UNIX_TIMESTAMP(NOW(3)) goes through the session's time zone and is off by an
        // hour in the repeated hour of a daylight-saving change, which would end or stretch every running lease.
        return "(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)";
    }

    @Override
    String nextToken() {
        // No UPDATE ... RETURNING: LAST_INSERT_ID(expr) keeps the granted token for this connection, to read next.
        return "LAST_INSERT_ID(lock_token + 1)";
    }

    @Override
    String readGrant() {
        return "SELECT LAST_INSERT_ID(), version FROM {sessions} WHERE id = ?";
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
