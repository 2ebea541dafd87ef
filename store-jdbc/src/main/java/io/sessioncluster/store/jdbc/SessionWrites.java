package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The statements of {@code write} and {@code writeAll}, run inside the caller's transaction: the session row first
 * (insert, or update that locks it), then the attribute rows, so writers of one session queue on its row. The
 * {@code principal} column (the user's sessions index) is named only by a change set that changes it: a create sets
 * it or leaves it NULL; an update sets or clears it in the same {@code UPDATE}, and otherwise leaves it alone.
 */
final class SessionWrites {

    private static final String NEVER = Long.toString(Long.MAX_VALUE);
    private static final String UPDATE_SESSION = "UPDATE {sessions} SET"
            // expires_at first: MySQL evaluates SET left to right, so last_access is still the stored one here
            + " expires_at = CASE WHEN ? <= 0 THEN " + NEVER + " ELSE GREATEST(last_access, ?) + ? END,"
            + " last_access = GREATEST(last_access, ?), max_inactive = ?, version = version + 1";
    private static final String SELECT_VERSION = "SELECT version FROM {sessions} WHERE id = ?";
    private static final String DELETE_ATTRIBUTE = "DELETE FROM {attributes} WHERE session_id = ? AND name = ?";

    private final Jdbc jdbc;
    private final Tables tables;
    private final LeaseLocks locks;
    /** The session row's UPDATE by kind: unfenced, fenced, releasing; then the same three setting the principal. */
    private final String[] updates;

    SessionWrites(Jdbc jdbc, Tables tables, LeaseLocks locks) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.locks = locks;
        String returning = jdbc.dialect().updateReturnsVersion() ? " RETURNING version" : "";
        List<String> updates = new ArrayList<>();
        for (String principal : List.of("", ", principal = ?")) {
            String set = UPDATE_SESSION + principal;
            updates.add(tables.sql(set + " WHERE id = ?") + returning);
            updates.add(tables.sql(set + " WHERE id = ? AND lock_token = ?") + returning);
            updates.add(tables.sql(set + ", lease_end = NULL WHERE id = ? AND lock_token = ?") + returning);
        }
        this.updates = updates.toArray(String[]::new);
    }

    /** One change set; the caller commits. */
    WriteResult write(Connection c, ChangeSet changes, Fence fence) throws SQLException {
        WriteResult result = sessionRow(c, changes, fence);
        if (result.status() == WriteResult.Status.WRITTEN) {
            writeAttributes(c, List.of(changes));
        }
        return result;
    }

    /**
     * Many change sets of distinct sessions in one transaction: the session rows one by one in id order (so two
     * batches lock the rows they share in the same order, as touch batches do), then the attribute rows of every
     * written session in one batch of upserts and one of deletes. Results in the order of {@code changes}.
     */
    List<WriteResult> writeAll(Connection c, List<ChangeSet> changes) throws SQLException {
        WriteResult[] results = new WriteResult[changes.size()];
        Integer[] byId = new Integer[changes.size()];
        Arrays.setAll(byId, i -> i);
        Arrays.sort(byId, Comparator.comparing(i -> changes.get(i).id()));
        List<ChangeSet> written = new ArrayList<>(changes.size());
        for (int i : byId) {
            results[i] = sessionRow(c, changes.get(i), Fence.NONE);
            if (results[i].status() == WriteResult.Status.WRITTEN) {
                written.add(changes.get(i));
            }
        }
        writeAttributes(c, written);
        return Arrays.asList(results);
    }

    /** Inserts or updates the session row, which locks it until commit. */
    private WriteResult sessionRow(Connection c, ChangeSet changes, Fence fence) throws SQLException {
        PrincipalChange principal = changes.principal();
        if (principal.name() != null && !jdbc.dialect().canStore(principal.name())) {
            throw new StoreException("write of session " + SessionIds.redact(changes.id()) + " failed: its principal"
                    + " name holds a character " + jdbc.dialect().name() + " cannot store (NUL)");
        }
        if (changes.created()) {
            return insertSession(c, changes) ? WriteResult.written(1) : WriteResult.alreadyExists();
        }
        OptionalLong updated = updateSession(c, changes, fence);
        if (updated.isEmpty()) {
            return fence.isFenced() ? locks.refusedWrite(c, changes.id()) : WriteResult.missing();
        }
        return WriteResult.written(updated.getAsLong());
    }

    /** Inserts the session row; false if the id exists. Its row lock is held until commit. */
    private boolean insertSession(Connection c, ChangeSet changes) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, tables.sql(jdbc.dialect().insertSession()))) {
            s.setString(1, changes.id());
            s.setLong(2, changes.creationTime());
            s.setLong(3, changes.lastAccessedTime());
            s.setInt(4, changes.maxInactiveSeconds());
            s.setLong(5, SessionRecord.expiresAt(changes.lastAccessedTime(), changes.maxInactiveSeconds()));
            setPrincipal(s, 6, changes.principal().name()); // CLEARED or UNCHANGED on a new row: not indexed
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            if (isIntegrityViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Bumps the version and sets the metadata, locking the row, and releases the lock if the fence says so; empty if
     * the session is not there or the fence's token is not the latest grant.
     */
    private OptionalLong updateSession(Connection c, ChangeSet changes, Fence fence) throws SQLException {
        int maxInactive = changes.maxInactiveSeconds();
        boolean principal = changes.principal().changed();
        int kind = !fence.isFenced() ? 0 : fence.release() ? 2 : 1;
        try (PreparedStatement s = jdbc.prepare(c, updates[principal ? kind + 3 : kind])) {
            s.setInt(1, maxInactive);
            s.setLong(2, changes.lastAccessedTime());
            s.setLong(3, maxInactive * 1000L);
            s.setLong(4, changes.lastAccessedTime());
            s.setInt(5, maxInactive);
            int next = 6;
            if (principal) {
                setPrincipal(s, next++, changes.principal().name());
            }
            s.setString(next++, changes.id());
            if (fence.isFenced()) {
                s.setLong(next, fence.token());
            }
            if (jdbc.dialect().updateReturnsVersion()) {
                try (ResultSet rows = s.executeQuery()) {
                    return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
                }
            }
            if (s.executeUpdate() == 0) {
                return OptionalLong.empty();
            }
        }
        try (PreparedStatement s = jdbc.prepare(c, tables.sql(SELECT_VERSION))) {
            s.setString(1, changes.id());
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return OptionalLong.of(rows.getLong(1));
            }
        }
    }

    /** One batch of upserts and one of deletes, by session and name; the session rows are already locked. */
    private void writeAttributes(Connection c, List<ChangeSet> sessions) throws SQLException {
        if (sessions.stream().anyMatch(ch -> !ch.setAttributes().isEmpty())) {
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(jdbc.dialect().upsertAttribute()))) {
                for (ChangeSet changes : sessions) {
                    for (Map.Entry<String, byte[]> attribute : new TreeMap<>(changes.setAttributes()).entrySet()) {
                        s.setString(1, changes.id());
                        s.setBytes(2, name(attribute.getKey()));
                        s.setBytes(3, attribute.getValue());
                        s.addBatch();
                    }
                }
                s.executeBatch();
            }
        }
        if (sessions.stream().anyMatch(ch -> !ch.removedAttributes().isEmpty())) {
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(DELETE_ATTRIBUTE))) {
                for (ChangeSet changes : sessions) {
                    for (String name : new TreeSet<>(changes.removedAttributes())) {
                        s.setString(1, changes.id());
                        s.setBytes(2, name(name));
                        s.addBatch();
                    }
                }
                s.executeBatch();
            }
        }
    }

    /** The name, or NULL: a session out of the principal index. */
    private static void setPrincipal(PreparedStatement s, int index, String name) throws SQLException {
        if (name == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, name);
        }
    }

    /** The principal names {@code changes} write, which no error message may show. */
    static List<String> principalNames(List<ChangeSet> changes) {
        List<String> names = new ArrayList<>();
        for (ChangeSet change : changes) {
            if (change.principal().name() != null) {
                names.add(change.principal().name());
            }
        }
        return names;
    }

    static boolean isIntegrityViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private static byte[] name(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
