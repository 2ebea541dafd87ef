package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expiry claims of {@link JdbcSessionStore}: decide and delete in one transaction, so each expired session goes to
 * exactly one caller. {@code claimIfExpired} locks the row, decides by the stored access time and deletes it;
 * concurrent claimers wait on the lock and then find nothing. {@code claimExpired} selects candidates with
 * {@code FOR UPDATE SKIP LOCKED}: sweepers on every node take disjoint sets and never wait on each other or on a
 * request writing a session.
 */
final class ExpiryClaims {

    private static final String LOCK_SESSION = "SELECT version, creation_time, last_access, max_inactive, principal"
            + " FROM {sessions} WHERE id = ? FOR UPDATE";
    private static final String SELECT_ATTRIBUTES = "SELECT name, content FROM {attributes} WHERE session_id = ?";
    private static final String EXPIRED = "SELECT id, version, creation_time, last_access, max_inactive, principal"
            + " FROM {sessions} WHERE expires_at <= ? ORDER BY expires_at LIMIT ?";
    private static final String DELETE_SESSION = "DELETE FROM {sessions} WHERE id = ?";

    private final Jdbc jdbc;
    private final Tables tables;
    private final EvictionLog evictions;

    ExpiryClaims(Jdbc jdbc, Tables tables, EvictionLog evictions) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.evictions = evictions;
    }

    ExpiryClaim claimIfExpired(String id, long nowMillis) {
        return jdbc.transaction("claimIfExpired", id, c -> {
            Row row;
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(LOCK_SESSION))) {
                s.setString(1, id);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return ExpiryClaim.GONE;
                    }
                    row = new Row(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getInt(4), rows.getString(5));
                }
            }
            long expiresAt = SessionRecord.expiresAt(row.accessed(), row.maxInactive());
            if (nowMillis < expiresAt) {
                return new ExpiryClaim.Alive(expiresAt);
            }
            Map<String, byte[]> attributes = new LinkedHashMap<>();
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(SELECT_ATTRIBUTES))) {
                s.setString(1, id);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        attributes.put(new String(rows.getBytes(1), StandardCharsets.UTF_8), value(id, rows.getBytes(2)));
                    }
                }
            }
            deleteClaimed(c, List.of(id));
            return new ExpiryClaim.Claimed(row.record(id, attributes));
        });
    }

    List<SessionRecord> claimExpired(long nowMillis, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.transaction("claimExpired", null, c -> {
            Map<String, Row> candidates = new LinkedHashMap<>();
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(EXPIRED) + jdbc.dialect().lockSkippingLocked())) {
                s.setLong(1, nowMillis);
                s.setInt(2, limit);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        candidates.put(rows.getString(1), new Row(rows.getLong(2), rows.getLong(3), rows.getLong(4),
                                rows.getInt(5), rows.getString(6)));
                    }
                }
            }
            if (candidates.isEmpty()) {
                return List.of();
            }
            Map<String, Map<String, byte[]>> attributes = new LinkedHashMap<>();
            candidates.keySet().forEach(id -> attributes.put(id, new LinkedHashMap<>()));
            String in = "?" + ",?".repeat(candidates.size() - 1);
            try (PreparedStatement s = jdbc.prepare(c,
                    tables.sql("SELECT session_id, name, content FROM {attributes} WHERE session_id IN (" + in + ")"))) {
                int i = 1;
                for (String id : candidates.keySet()) {
                    s.setString(i++, id);
                }
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        String id = rows.getString(1);
                        attributes.get(id).put(new String(rows.getBytes(2), StandardCharsets.UTF_8), value(id, rows.getBytes(3)));
                    }
                }
            }
            deleteClaimed(c, candidates.keySet());
            List<SessionRecord> claimed = new ArrayList<>(candidates.size());
            candidates.forEach((id, row) -> claimed.add(row.record(id, attributes.get(id))));
            return claimed;
        });
    }

    /** A session row as a claim read it, before its attributes. */
    private record Row(long version, long created, long accessed, int maxInactive, String principal) {

        SessionRecord record(String id, Map<String, byte[]> attributes) {
            return ExpiryClaims.record(id, version, created, accessed, maxInactive, attributes, principal);
        }
    }

    /** Deletes sessions whose rows this transaction has locked, and logs their eviction for the other nodes. */
    private void deleteClaimed(Connection c, Collection<String> ids) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, tables.sql(DELETE_SESSION))) {
            for (String id : ids) {
                s.setString(1, id);
                s.addBatch();
            }
            s.executeBatch();
        }
        evictions.record(c, ids);
    }

    /** A NULL value can only come from a row written by something else: corrupt, reported as such. */
    static byte[] value(String id, byte[] value) {
        if (value == null) {
            throw new StoreException("session " + SessionIds.redact(id) + " has an attribute row without a value");
        }
        return value;
    }

    static SessionRecord record(String id, long version, long created, long accessed, int maxInactive,
                                Map<String, byte[]> attributes, String principal) {
        if (version <= 0) {
            throw new StoreException("session " + SessionIds.redact(id) + " has an invalid version [" + version + "]");
        }
        return new SessionRecord(id, version, created, accessed, maxInactive, attributes, principal);
    }
}
