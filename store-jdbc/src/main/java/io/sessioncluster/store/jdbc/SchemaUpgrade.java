package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.store.StoreException;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Brings tables created by an earlier version of the store up to date when it opens. There is no schema version:
 * each column added since the first release is looked for by name, and a missing one is added with a plain
 * {@code ALTER TABLE ... ADD COLUMN} (MySQL has no {@code ADD COLUMN IF NOT EXISTS}), if {@code createSchema} is on;
 * otherwise the open fails with the statements to run. New columns have a default, so rows written before, and
 * nodes of the earlier version still running, keep working. An index added since is looked for by its first column
 * in the driver's metadata (a DBA may have named it otherwise) and created likewise; one missing alone only slows a
 * query down, so without {@code createSchema} it is logged with the statement to run, and the open goes on.
 */
final class SchemaUpgrade {

    private static final System.Logger LOG = Loggers.of(SchemaUpgrade.class);

    /** @param feature what the column serves, for the message that asks for it */
    private record Column(String name, String feature, Function<Dialect, String> definition) {
    }

    /**
     * @param suffix the index is named {@code t_sessions_<suffix>}
     * @param slowed what reads the whole table without it, for the warning that asks for it
     */
    private record Index(String suffix, String column, String slowed, Function<Dialect, String> columns) {
    }

    /** Columns of {@code t_sessions} added since the first release; append only. */
    private static final List<Column> SESSION_COLUMNS = List.of(
            new Column("lock_token", "the session locks", dialect -> "BIGINT NOT NULL DEFAULT 0"),
            new Column("lease_end", "the session locks", dialect -> "BIGINT"),
            new Column("principal", "the user's sessions index", Dialect::principalType));

    /** Indexes of {@code t_sessions} added since the first release; append only. */
    private static final List<Index> SESSION_INDEXES = List.of(
            new Index("principal", "principal", "a lookup of a user's sessions", Dialect::principalIndexColumns));

    private SchemaUpgrade() {
    }

    /**
     * Adds what {@code t_sessions} lacks, or with {@code createSchema} off fails naming it; the table is readable.
     * {@code dialect} is the database's, which {@code jdbc}'s may not be yet while the store opens.
     */
    static void upgrade(Connection c, Jdbc jdbc, Dialect dialect, Tables tables, boolean createSchema)
            throws SQLException {
        String table = tables.sessions();
        List<Column> missing = new ArrayList<>();
        for (Column column : SESSION_COLUMNS) {
            if (!hasColumn(c, jdbc, table, column.name())) {
                missing.add(column);
            }
        }
        List<Index> unindexed = new ArrayList<>();
        for (Index index : SESSION_INDEXES) {
            boolean columnMissing = missing.stream().anyMatch(column -> column.name().equals(index.column()));
            if (columnMissing || !hasIndexOn(c, table, index.column())) {
                unindexed.add(index);
            }
        }
        if (missing.isEmpty() && unindexed.isEmpty()) {
            return;
        }
        if (!createSchema) {
            List<String> statements = new ArrayList<>();
            missing.forEach(column -> statements.add(alter(table, column, dialect)));
            unindexed.forEach(index -> statements.add(createIndex(table, index, dialect)));
            if (missing.isEmpty()) {
                Set<String> slowed = new LinkedHashSet<>();
                unindexed.forEach(index -> slowed.add(index.slowed()));
                LOG.log(System.Logger.Level.WARNING, () -> "table [" + table + "] lacks an index of this version, so "
                        + String.join(" and ", slowed) + " reads the whole table: run " + String.join("; ", statements)
                        + " (see schema-" + dialect.name() + ".sql in the store-jdbc jar), or set createSchema=\"true\"");
                return;
            }
            Set<String> features = new LinkedHashSet<>();
            missing.forEach(column -> features.add(column.feature()));
            throw new StoreException("table [" + table + "] was created by an earlier version and lacks the columns of "
                    + String.join(" and ", features) + ": run " + String.join("; ", statements)
                    + " (see schema-<dialect>.sql in the store-jdbc jar), or set createSchema=\"true\"");
        }
        for (Column column : missing) {
            try (PreparedStatement s = jdbc.prepare(c, alter(table, column, dialect))) {
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
        for (Index index : unindexed) {
            try (PreparedStatement s = jdbc.prepare(c, createIndex(table, index, dialect))) {
                s.execute();
                endStatement(c, true);
                LOG.log(System.Logger.Level.INFO, () -> "added index [" + table + "_" + index.suffix() + "] to table ["
                        + table + "]");
            } catch (SQLException e) {
                endStatement(c, false);
                // likewise: a node that opened at the same moment may have created it first
                if (isConnectionFailure(e) || !hasIndexOn(c, table, index.column())) {
                    throw e;
                }
            }
        }
    }

    /** True if {@code table} can be read: it exists, of this or an earlier version. */
    static boolean isReadable(Connection c, Jdbc jdbc, String table) throws SQLException {
        return probe(c, jdbc, "SELECT 1 FROM " + table + " WHERE 1 = 0");
    }

    private static String alter(String table, Column column, Dialect dialect) {
        return "ALTER TABLE " + table + " ADD COLUMN " + column.name() + " " + column.definition().apply(dialect);
    }

    private static String createIndex(String table, Index index, Dialect dialect) {
        return "CREATE INDEX " + table + "_" + index.suffix() + " ON " + table + " ("
                + index.columns().apply(dialect) + ")";
    }

    private static boolean hasColumn(Connection c, Jdbc jdbc, String table, String column) throws SQLException {
        // the table is readable (checked before), so a failure means the column is what is missing
        return probe(c, jdbc, "SELECT " + column + " FROM " + table + " WHERE 1 = 0");
    }

    private static boolean probe(Connection c, Jdbc jdbc, String query) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, query)) {
            s.executeQuery().close();
            endStatement(c, true);
            return true;
        } catch (SQLException e) {
            endStatement(c, false);
            if (isConnectionFailure(e)) {
                throw e;
            }
            return false;
        }
    }

    /** True if an index of {@code table} in the connection's schema starts with {@code column}. */
    private static boolean hasIndexOn(Connection c, String table, String column) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        // the metadata holds names as the database stored the unquoted ones: H2 upper case, PostgreSQL lower case
        String stored = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT)
                : meta.storesLowerCaseIdentifiers() ? table.toLowerCase(Locale.ROOT) : table;
        boolean found = false;
        try (ResultSet rows = meta.getIndexInfo(c.getCatalog(), c.getSchema(), stored, false, true)) {
            while (rows.next()) {
                if (rows.getShort("ORDINAL_POSITION") == 1 && column.equalsIgnoreCase(rows.getString("COLUMN_NAME"))) {
                    found = true;
                }
            }
        }
        endStatement(c, true);
        return found;
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
