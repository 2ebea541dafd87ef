package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings tables created by an earlier version of the store up to date when it opens. There is no schema version:
 * each column added since the first release is looked for by name, and a missing one is added with a plain
 * {@code ALTER TABLE ... ADD COLUMN} (MySQL has no {@code ADD COLUMN IF NOT EXISTS}), if {@code createSchema} is on;
 * otherwise the open fails with the statements to run. New columns have a default, so rows written before, and
 * nodes of the earlier version still running, keep working.
 */
final class SchemaUpgrade {

    private static final System.Logger LOG = Loggers.of(SchemaUpgrade.class);

    private record Column(String name, String definition) {
    }

    /** Columns of {@code t_sessions} added since the first release; append only. */
    private static final List<Column> SESSION_COLUMNS = List.of(
            new Column("lock_token", "BIGINT NOT NULL DEFAULT 0"),
            new Column("lease_end", "BIGINT"));

    private SchemaUpgrade() {
    }

    static void addMissingColumns(Connection c, Jdbc jdbc, Tables tables, boolean createSchema) throws SQLException {
        String table = tables.sessions();
        List<Column> missing = new ArrayList<>();
        for (Column column : SESSION_COLUMNS) {
            if (!hasColumn(c, jdbc, table, column.name())) {
                missing.add(column);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (!createSchema) {
            List<String> statements = missing.stream().map(column -> alter(table, column)).toList();
            throw new StoreException("table [" + table + "] was created by an earlier version and lacks the columns of"
                    + " the session locks: run " + String.join("; ", statements)
                    + " (see schema-<dialect>.sql in the store-jdbc jar), or set createSchema=\"true\"");
        }
        for (Column column : missing) {
            try (PreparedStatement s = jdbc.prepare(c, alter(table, column))) {
                s.execute();
                endStatement(c, true);
                LOG.log(System.Logger.Level.INFO, () -> "added column [" + column.name() + "] to table [" + table + "]");
            } catch (SQLException e) {
                endStatement(c, false);
                // another node that opened at the same moment may have added it first
                if (isConnectionFailure(e) || !hasColumn(c, jdbc, table, column.name())) {
                    throw e;
                }
            }
        }
    }

    private static String alter(String table, Column column) {
        return "ALTER TABLE " + table + " ADD COLUMN " + column.name() + " " + column.definition();
    }

    private static boolean hasColumn(Connection c, Jdbc jdbc, String table, String column) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, "SELECT " + column + " FROM " + table + " WHERE 1 = 0")) {
            s.executeQuery().close();
            endStatement(c, true);
            return true;
        } catch (SQLException e) {
            endStatement(c, false);
            if (isConnectionFailure(e)) {
                throw e;
            }
            return false; // the table is readable (checked before), so the column is what is missing
        }
    }

    /** A container's data source may hand out connections without autocommit; PostgreSQL then needs an end. */
    private static void endStatement(Connection c, boolean succeeded) throws SQLException {
        if (!c.getAutoCommit()) {
            if (succeeded) {
                c.commit();
            } else {
                c.rollback();
            }
        }
    }

    private static boolean isConnectionFailure(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }
}
