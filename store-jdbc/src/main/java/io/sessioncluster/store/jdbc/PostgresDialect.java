package io.sessioncluster.store.jdbc;

import java.sql.SQLException;
import java.util.Set;

/** PostgreSQL 9.5+: {@code ON CONFLICT} upserts, {@code UPDATE ... RETURNING}, {@code SKIP LOCKED}, {@code clock_timestamp()}. */
final class PostgresDialect extends Dialect {

    /** Server shutting down or restarting, or a statement cancelled by our query timeout. */
    private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "57014", "53300");

    @Override
    String name() {
        return "postgresql";
    }

    @Override
    String insertSession() {
        // DO NOTHING: an existing id reports 0 rows instead of an error, so the server logs nothing.
        return super.insertSession() + " ON CONFLICT (id) DO NOTHING";
    }

    @Override
    String upsertAttribute() {
        return "INSERT INTO {attributes} (session_id, name, content) VALUES (?, ?, ?)"
                + " ON CONFLICT (session_id, name) DO UPDATE SET content = EXCLUDED.content";
    }

    @Override
    boolean canStore(String principal) {
        return principal.indexOf('\0') < 0; // text cannot hold NUL: such a name is refused before any statement
    }

    @Override
    boolean updateReturnsVersion() {
        return true;
    }

    @Override
    String nowMillis() {
        // clock_timestamp(), not now(): now() is the start of the transaction
        return "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    }

    @Override
    String grantReturning(String update) {
        return update + " RETURNING lock_token, version";
    }

    @Override
    boolean isUnavailable(SQLException e) {
        return super.isUnavailable(e) || UNAVAILABLE.contains(e.getSQLState());
    }
}
