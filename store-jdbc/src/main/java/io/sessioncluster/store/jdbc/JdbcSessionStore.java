package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.EvictionListener;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link SessionStore} on a relational database: PostgreSQL, MariaDB/MySQL or H2.
 *
 * <h2>Layout</h2>
 * Three tables named after the {@code tableName} prefix {@code t} (DDL in {@code schema-<dialect>.sql}):
 * <ul>
 *   <li>{@code t_sessions}: one row per session: {@code id} (primary key), {@code version}, {@code creation_time},
 *       {@code last_access} (epoch ms), {@code max_inactive} (s) and {@code expires_at} (epoch ms,
 *       {@link Long#MAX_VALUE} for a session that never expires; indexed for the sweep), {@code lock_token} and
 *       {@code lease_end} (the session's lock, see {@link LeaseLocks}), {@code principal} (the name the session is
 *       indexed under, NULL for none; indexed for {@link #sessionsOf}, see {@link SessionListings}).</li>
 *   <li>{@code t_attributes}: one row per attribute: {@code session_id}, {@code name} (UTF-8 bytes, so any name
 *       round-trips exactly), {@code content} (the encoded bytes); primary key {@code (session_id, name)}; a foreign key
 *       to {@code t_sessions} with {@code ON DELETE CASCADE ON UPDATE CASCADE}, so a delete or an id change moves
 *       every attribute in the same statement and no attribute row outlives its session.</li>
 *   <li>{@code t_evictions}: an append-only log of evictions for other nodes, see {@link EvictionLog}.</li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * Every transaction that changes a session locks its session row first ({@code UPDATE}, {@code INSERT},
 * {@code DELETE} or {@code SELECT ... FOR UPDATE}) and only then touches its attribute rows. Writers of one session
 * therefore queue on that row instead of racing on attribute keys: no duplicate-key errors, no lock-order
 * deadlocks. A create inserts the row with {@code ON CONFLICT DO NOTHING} / {@code INSERT IGNORE} (H2: the
 * duplicate-key error is caught), which answers {@code ALREADY_EXISTS}; an update that finds no row answers
 * {@code MISSING} and writes nothing. {@code last_access} never moves backwards. {@code writeAll} writes its
 * sessions' rows in id order in one transaction (see {@link SessionWrites}). Touch batches update rows in id
 * order, so two batches cannot deadlock on each other. See {@link Jdbc} for the retry safety net.
 *
 * <h2>Locks</h2>
 * See {@link LeaseLocks}: one autocommitted statement per lock operation, leases by the database's clock. A write
 * with a {@link Fence} adds {@code AND lock_token = ?} to its update of the session row (and, to release,
 * {@code lease_end = NULL}), so a fenced write changes nothing; a second read tells {@code FENCED} from
 * {@code MISSING} only then. The lock columns live in the row, so an id change moves them and a delete or an expiry
 * claim ends them.
 *
 * <h2>Expiry</h2>
 * See {@link ExpiryClaims}: a claim locks, decides and deletes in one transaction; sweeps skip locked rows.
 *
 * <h2>The user's sessions index</h2>
 * The {@code principal} column of the session row, so the index lives and dies with its row: a delete, a claim and
 * an id change need no statement of their own for it, and nothing of a name outlives its last session. Only a
 * change set that changes the principal names the column (see {@link SessionWrites}); a touch never does.
 */
final class JdbcSessionStore implements SessionStore {

    private static final System.Logger LOG = Loggers.of(JdbcSessionStore.class);

    private static final String NEVER = Long.toString(Long.MAX_VALUE);
    private static final String SELECT_VERSION = "SELECT version FROM {sessions} WHERE id = ?";
    private static final String LOAD = "SELECT s.version, s.creation_time, s.last_access, s.max_inactive, s.principal,"
            + " a.name, a.content FROM {sessions} s LEFT JOIN {attributes} a ON a.session_id = s.id WHERE s.id = ?";
    /** The SET list of a touch; parameters: access time, 1000, access time. Also used by {@link LeaseLocks#unlock}. */
    static final String TOUCH_COLUMNS = "expires_at = CASE WHEN max_inactive <= 0 THEN " + NEVER
            + " ELSE GREATEST(last_access, ?) + max_inactive * ? END,"
            // "* ?" with a BIGINT 1000: a portable way to multiply in 64 bits (INTEGER * 1000 overflows past 24 days)
            + " last_access = GREATEST(last_access, ?)";
    private static final String TOUCH = "UPDATE {sessions} SET " + TOUCH_COLUMNS + " WHERE id = ?";
    private static final String CHANGE_ID = "UPDATE {sessions} SET id = ? WHERE id = ?";
    private static final String DELETE_SESSION = "DELETE FROM {sessions} WHERE id = ?";

    private final Jdbc jdbc;
    private final Tables tables;
    private final EvictionLog evictions;
    private final ExpiryClaims claims;
    private final LeaseLocks locks;
    private final AutoCloseable onClose;
    private final SessionWrites writes;
    private final SessionListings listings;
    private volatile boolean closed;

    /**
     * @param onClose releases what the provider opened for this store (the pool), or does nothing for a JNDI
     *                data source that the container owns
     */
    JdbcSessionStore(Jdbc jdbc, Tables tables, EvictionLog evictions, AutoCloseable onClose) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.evictions = evictions;
        this.claims = new ExpiryClaims(jdbc, tables, evictions);
        this.locks = new LeaseLocks(jdbc, tables);
        this.onClose = onClose;
        this.writes = new SessionWrites(jdbc, tables, locks);
        this.listings = new SessionListings(jdbc, tables);
    }

    @Override
    public Optional<SessionRecord> load(String id) {
        return jdbc.call("load", id, c -> {
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(LOAD))) {
                s.setString(1, id);
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    long version = rows.getLong(1);
                    long created = rows.getLong(2);
                    long accessed = rows.getLong(3);
                    int maxInactive = rows.getInt(4);
                    String principal = rows.getString(5);
                    Map<String, byte[]> attributes = new LinkedHashMap<>();
                    do {
                        byte[] name = rows.getBytes(6);
                        if (name != null) {
                            attributes.put(new String(name, StandardCharsets.UTF_8), ExpiryClaims.value(id, rows.getBytes(7)));
                        }
                    } while (rows.next());
                    return Optional.of(ExpiryClaims.record(id, version, created, accessed, maxInactive, attributes,
                            principal));
                }
            }
        });
    }

    /** The database's clock ({@link Dialect#nowMillis()}), which the nodes convert their times to. */
    @Override
    public long storeTimeMillis() {
        return jdbc.call("time", null, c -> {
            try (PreparedStatement s = jdbc.prepare(c, "SELECT " + jdbc.dialect().nowMillis());
                 ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    throw new StoreException("the database answered no time");
                }
                return rows.getLong(1);
            }
        });
    }

    @Override
    public OptionalLong version(String id) {
        return jdbc.call("version", id, c -> {
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(SELECT_VERSION))) {
                s.setString(1, id);
                try (ResultSet rows = s.executeQuery()) {
                    return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    @Override
    public WriteResult write(ChangeSet changes, Fence fence) {
        return jdbc.transaction("write", changes.id(), SessionWrites.principalNames(List.of(changes)),
                c -> writes.write(c, changes, fence));
    }

    /**
     * One transaction and one commit for the batch (the commit, a disk flush, is most of a write's cost). Should an
     * entry fail on its own (a value the database refuses), the transaction is rolled back whole, and each entry is
     * then written in a transaction of its own, so that only that entry fails. A session named twice is written
     * entry by entry, in list order.
     */
    @Override
    public List<WriteResult> writeAll(List<ChangeSet> changes) {
        List<String> ids = changes.stream().map(ChangeSet::id).toList();
        if (changes.size() < 2 || new HashSet<>(ids).size() < ids.size()) {
            return SessionStore.super.writeAll(changes);
        }
        try {
            return jdbc.transactionOver("writeAll", ids, SessionWrites.principalNames(changes),
                    c -> writes.writeAll(c, changes));
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "writeAll: an entry failed, writing one by one: " + e.getMessage());
            return SessionStore.super.writeAll(changes);
        }
    }

    @Override
    public LockAttempt lock(String id, long leaseMillis) {
        return locks.lock(id, leaseMillis);
    }

    @Override
    public boolean renewLock(String id, long token, long leaseMillis) {
        return locks.renew(id, token, leaseMillis);
    }

    @Override
    public void unlock(String id, long token, Touch touch) {
        if (touch != null && !touch.id().equals(id)) {
            locks.unlock(id, token, null); // a touch of another session cannot share the statement
            touch(List.of(touch));
            return;
        }
        locks.unlock(id, token, touch);
    }

    @Override
    public void touch(Collection<Touch> touches) {
        if (touches.isEmpty()) {
            return;
        }
        // In id order (and one per id, the latest time), so that concurrent batches lock rows in the same order.
        TreeMap<String, Long> latest = new TreeMap<>();
        touches.forEach(t -> latest.merge(t.id(), t.lastAccessedTime(), Math::max));
        jdbc.transactionOver("touch", latest.keySet(), c -> {
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(TOUCH))) {
                for (Map.Entry<String, Long> touch : latest.entrySet()) {
                    s.setLong(1, touch.getValue());
                    s.setLong(2, 1000L);
                    s.setLong(3, touch.getValue());
                    s.setString(4, touch.getKey());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public boolean changeId(String oldId, String newId) {
        if (oldId.equals(newId)) {
            return false; // the new id "already exists"
        }
        return jdbc.transaction("changeId", oldId, c -> {
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(CHANGE_ID))) {
                s.setString(1, newId);
                s.setString(2, oldId);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            } catch (SQLException e) {
                if (SessionWrites.isIntegrityViolation(e)) {
                    return false; // newId is taken; the transaction rolls back
                }
                throw e;
            }
            evictions.record(c, oldId);
            return true;
        });
    }

    @Override
    public boolean delete(String id) {
        return jdbc.transaction("delete", id, c -> {
            try (PreparedStatement s = jdbc.prepare(c, tables.sql(DELETE_SESSION))) {
                s.setString(1, id);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            evictions.record(c, id);
            return true;
        });
    }

    @Override
    public ExpiryClaim claimIfExpired(String id, long nowMillis) {
        return claims.claimIfExpired(id, nowMillis);
    }

    @Override
    public List<SessionRecord> claimExpired(long nowMillis, int limit) {
        return claims.claimExpired(nowMillis, limit);
    }

    @Override
    public Set<String> sessionsOf(String principal) {
        return listings.sessionsOf(principal);
    }

    @Override
    public SessionPage page(String cursor, int limit) {
        return listings.page(cursor, limit);
    }

    @Override
    public void announceEviction(String id) {
        evictions.announce(id);
    }

    @Override
    public void subscribeEvictions(EvictionListener listener) {
        evictions.subscribe(listener);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        evictions.close();
        try {
            onClose.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing the JDBC session store: " + e, e);
        }
    }
}
