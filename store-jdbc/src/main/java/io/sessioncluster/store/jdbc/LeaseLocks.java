package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The cluster-wide session locks of {@link JdbcSessionStore}: two columns of the session row, {@code lock_token}
 * (the latest grant, 0 before the first) and {@code lease_end} (epoch ms by the database's clock, NULL once
 * released). Every decision compares {@code lease_end} with {@link Dialect#nowMillis()}, never with a node's clock.
 *
 * <p>Each operation is one autocommitted statement, so no database lock outlives the call. A grant is a conditional
 * {@code UPDATE} that only matches a row whose lease is over: concurrent grants queue on the row lock, and the
 * losers find the new lease in their re-checked condition and update nothing. The grant learns its token and the
 * version in the same statement ({@link Dialect#grantReturning}) or, on MariaDB, from the next statement on the same
 * connection ({@link Dialect#readGrant}): the token comes from {@code LAST_INSERT_ID}, so it is this call's own even
 * if the lease has already run out; the version is read after the grant, so it is never older than at the grant
 * (only writers that do not lock can have moved it on, and a later version only makes the node reload). An attempt
 * that updated nothing reads the row once to tell {@code MISSING} from {@code Held}.
 *
 * <p>A grant only matches a row whose lock columns are possible values (token &ge; 0, lease end &ge; 0, version
 * &gt; 0), so a damaged row is never granted: the read that follows reports it as {@link StoreException}.
 */
final class LeaseLocks {

    /** A grant that found the lease released or run out between its update and its read tries again, this often. */
    private static final int ATTEMPTS = 3;

    private static final String GRANT = "UPDATE {sessions} SET lock_token = {next}, lease_end = {now} + ?"
            + " WHERE id = ? AND lock_token >= 0 AND version > 0 AND (lease_end IS NULL OR lease_end BETWEEN 0 AND {now})";
    private static final String READ_LOCK = "SELECT lock_token, lease_end, version, {now} FROM {sessions} WHERE id = ?";
    private static final String READ_TOKEN = "SELECT lock_token FROM {sessions} WHERE id = ?";
    private static final String RENEW = "UPDATE {sessions} SET lease_end = {now} + ? WHERE id = ? AND lock_token = ?";
    private static final String RELEASE = "UPDATE {sessions} SET lease_end = NULL WHERE id = ? AND lock_token = ?";
    // lease_end first: MySQL evaluates SET left to right, and the touch columns must see the stored last_access
    private static final String RELEASE_AND_TOUCH = "UPDATE {sessions} SET"
            + " lease_end = CASE WHEN lock_token = ? THEN NULL ELSE lease_end END, " + JdbcSessionStore.TOUCH_COLUMNS
            + " WHERE id = ?";

    private final Jdbc jdbc;
    private final String grant;
    private final String readGrant;
    private final String readLock;
    private final String readToken;
    private final String renew;
    private final String release;
    private final String releaseAndTouch;

    LeaseLocks(Jdbc jdbc, Tables tables) {
        this.jdbc = jdbc;
        Dialect dialect = jdbc.dialect();
        String update = sql(tables, dialect, GRANT.replace("{next}", dialect.nextToken()));
        String returning = dialect.grantReturning(update);
        if (returning == null && dialect.readGrant() == null) {
            throw new IllegalStateException("dialect " + dialect.name() + " has no way to read a lock grant");
        }
        this.grant = returning != null ? returning : update;
        this.readGrant = returning != null ? null : sql(tables, dialect, dialect.readGrant());
        this.readLock = sql(tables, dialect, READ_LOCK);
        this.readToken = sql(tables, dialect, READ_TOKEN);
        this.renew = sql(tables, dialect, RENEW);
        this.release = sql(tables, dialect, RELEASE);
        this.releaseAndTouch = sql(tables, dialect, RELEASE_AND_TOUCH);
    }

    private static String sql(Tables tables, Dialect dialect, String template) {
        return tables.sql(template).replace("{now}", dialect.nowMillis());
    }

    LockAttempt lock(String id, long leaseMillis) {
        SessionStore.requirePositiveLease(leaseMillis);
        return jdbc.call("lock", id, c -> {
            for (int attempt = 1; ; attempt++) {
                LockAttempt.Granted granted = grant(c, id, leaseMillis);
                if (granted != null) {
                    return granted;
                }
                LockAttempt refused = refusal(c, id);
                if (refused != null) {
                    return refused;
                }
                if (attempt == ATTEMPTS) {
                    return new LockAttempt.Held(1); // released and taken again each time: ask again shortly
                }
            }
        });
    }

    /** The grant, or null if the row is missing, held, or not grantable. */
    private LockAttempt.Granted grant(Connection c, String id, long leaseMillis) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, grant)) {
            s.setLong(1, leaseMillis);
            s.setString(2, id);
            if (readGrant == null) {
                try (ResultSet rows = s.executeQuery()) {
                    return rows.next() ? granted(id, rows.getLong(1), rows.getLong(2)) : null;
                }
            }
            if (s.executeUpdate() == 0) {
                return null;
            }
        }
        try (PreparedStatement s = jdbc.prepare(c, readGrant)) {
            s.setString(1, id);
            try (ResultSet rows = s.executeQuery()) {
                // no row: deleted right after the grant, which ended the lock with it
                return rows.next() ? granted(id, rows.getLong(1), rows.getLong(2)) : null;
            }
        }
    }

    private static LockAttempt.Granted granted(String id, long token, long version) {
        if (token <= 0 || version <= 0) {
            throw corrupt(id, "an invalid lock grant: token [" + token + "], version [" + version + "]");
        }
        return new LockAttempt.Granted(token, version);
    }

    /** Why a grant updated nothing: missing, held, or (null) the lease ended since; a damaged row throws. */
    private LockAttempt refusal(Connection c, String id) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, readLock)) {
            s.setString(1, id);
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    return LockAttempt.MISSING;
                }
                long token = rows.getLong(1);
                long leaseEnd = rows.getLong(2);
                boolean released = rows.wasNull();
                long version = rows.getLong(3);
                long now = rows.getLong(4);
                checkToken(id, token);
                if (!released && leaseEnd < 0) {
                    throw corrupt(id, "an invalid lease end [" + leaseEnd + "]");
                }
                if (version <= 0) {
                    throw corrupt(id, "an invalid version [" + version + "]");
                }
                return !released && leaseEnd > now ? new LockAttempt.Held(leaseEnd - now) : null;
            }
        }
    }

    /**
     * Why a fenced update of this session row updated nothing, inside the write's transaction: the session is gone
     * ({@code MISSING}) or the fence's token is no longer the latest grant ({@code FENCED}).
     */
    WriteResult refusedWrite(Connection c, String id) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, readToken)) {
            s.setString(1, id);
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    return WriteResult.missing();
                }
                checkToken(id, rows.getLong(1));
                return WriteResult.fenced();
            }
        }
    }

    boolean renew(String id, long token, long leaseMillis) {
        SessionStore.requirePositiveLease(leaseMillis);
        return jdbc.call("renewLock", id, c -> {
            try (PreparedStatement s = jdbc.prepare(c, renew)) {
                s.setLong(1, leaseMillis);
                s.setString(2, id);
                s.setLong(3, token);
                return s.executeUpdate() == 1;
            }
        });
    }

    /** Releases the lock if {@code token} is the latest grant, and applies {@code touch} (of this id, or null). */
    void unlock(String id, long token, Touch touch) {
        jdbc.call("unlock", id, c -> {
            if (touch == null) {
                try (PreparedStatement s = jdbc.prepare(c, release)) {
                    s.setString(1, id);
                    s.setLong(2, token);
                    s.executeUpdate();
                }
                return null;
            }
            try (PreparedStatement s = jdbc.prepare(c, releaseAndTouch)) {
                s.setLong(1, token);
                s.setLong(2, touch.lastAccessedTime());
                s.setLong(3, 1000L);
                s.setLong(4, touch.lastAccessedTime());
                s.setString(5, id);
                s.executeUpdate();
            }
            return null;
        });
    }

    private static void checkToken(String id, long token) {
        if (token < 0) {
            throw corrupt(id, "an invalid lock token [" + token + "]");
        }
    }

    private static StoreException corrupt(String id, String what) {
        return new StoreException("session " + SessionIds.redact(id) + " has " + what);
    }
}
