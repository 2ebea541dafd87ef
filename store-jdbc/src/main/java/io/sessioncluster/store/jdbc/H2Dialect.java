package io.sessioncluster.store.jdbc;

import java.sql.SQLException;

/** H2 2.x: {@code MERGE ... KEY} upserts; a duplicate id on insert raises 23505, which means ALREADY_EXISTS. */
final class H2Dialect extends Dialect {

    private static final int LOCK_TIMEOUT = 50200;
    private static final int DATABASE_CLOSED = 90098;

    @Override
    String name() {
        return "h2";
    }

    @Override
    String upsertAttribute() {
        return "MERGE INTO {attributes} (session_id, name, content) KEY (session_id, name) VALUES (?, ?, ?)";
    }

    @Override
    String nowMillis() {
        return "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
    }

    @Override
    String grantReturning(String update) {
        // a data change delta table: the rows as the update left them, in the same statement
        return "SELECT lock_token, version FROM FINAL TABLE (" + update + ")";
    }

    @Override
    boolean isRetryable(SQLException e) {
        return super.isRetryable(e) || e.getErrorCode() == LOCK_TIMEOUT;
    }

    @Override
    boolean isUnavailable(SQLException e) {
        return super.isUnavailable(e) || e.getErrorCode() == DATABASE_CLOSED || "57014".equals(e.getSQLState());
    }
}
