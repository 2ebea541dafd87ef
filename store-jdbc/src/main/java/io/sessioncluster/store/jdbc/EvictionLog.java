package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.EvictionListener;
import io.sessioncluster.core.store.StoreException;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells other nodes which sessions to drop from memory, through the table {@code t_evictions}: a row
 * {@code (seq, node, session_id, created)} per eviction, written in the same transaction as the delete, id change or
 * expiry claim that caused it. Each subscribed node polls the table every {@code evictionPollMillis} for rows after
 * the last it read, skipping its own ({@code node} is random per store instance).
 *
 * <p>Sequence numbers are handed out before commit, so a row may become visible after a higher one was read. Each
 * poll therefore re-reads the rows of the last {@link #RESCAN_MILLIS} and delivers each row once. Rows older than
 * {@link #RETENTION_MILLIS} are purged by whichever node polls. When a poll fails (database down) the listener is
 * told it may have missed evictions once the database answers again.
 */
final class EvictionLog implements AutoCloseable {

    private static final System.Logger LOG = Loggers.of(EvictionLog.class);

    static final long RESCAN_MILLIS = 5_000;
    static final long RETENTION_MILLIS = 300_000;
    private static final int PURGE_EVERY_POLLS = 100;
    private static final int MAX_ROWS = 1_000;

    private static final String INSERT = "INSERT INTO {evictions} (node, session_id, created) VALUES (?, ?, ?)";
    private static final String HIGHEST = "SELECT MAX(seq) FROM {evictions}";
    private static final String READ = "SELECT seq, node, session_id FROM {evictions} WHERE seq > ? ORDER BY seq LIMIT "
            + MAX_ROWS;
    private static final String PURGE = "DELETE FROM {evictions} WHERE created < ?";

    private final Jdbc jdbc;
    private final Tables tables;
    private final long pollMillis;
    private final String node = UUID.randomUUID().toString();
    private final RateLimitedLog warnings = new RateLimitedLog(30, TimeUnit.SECONDS);
    private ScheduledExecutorService poller;

    // Poller state, touched by the poller thread only.
    private long floor = -1;
    private long highest;
    private final ArrayDeque<long[]> recentHighs = new ArrayDeque<>(); // {pollTimeMillis, highestSeqThen}
    private final Set<Long> delivered = new HashSet<>();
    private boolean failing;
    private int polls;

    EvictionLog(Jdbc jdbc, Tables tables, long pollMillis) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.pollMillis = pollMillis;
    }

    /** Logs evictions inside the caller's transaction. */
    void record(Connection c, String id) throws SQLException {
        record(c, List.of(id));
    }

    void record(Connection c, Collection<String> ids) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, tables.sql(INSERT))) {
            long now = System.currentTimeMillis();
            for (String id : ids) {
                s.setString(1, node);
                s.setString(2, id);
                s.setLong(3, now);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Best effort, never throws. */
    void announce(String id) {
        try {
            jdbc.call("announceEviction", id, c -> {
                record(c, id);
                return null;
            });
        } catch (StoreException e) {
            warn("announce", "cannot announce the eviction of session " + SessionIds.redact(id) + ": " + e.getMessage());
        }
    }

    synchronized void subscribe(EvictionListener listener) {
        if (poller != null) {
            throw new IllegalStateException("already subscribed");
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "session-cluster-jdbc-evictions");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(() -> poll(listener), 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    private void poll(EvictionListener listener) {
        try {
            long now = System.currentTimeMillis();
            if (floor < 0) {
                // Start after what is there: evictions from before this node subscribed concern no local copy.
                floor = jdbc.call("evictions", null, c -> highest(c));
                highest = floor;
            }
            List<Object[]> rows;
            long from = floor;
            do {
                long after = from;
                rows = jdbc.call("evictions", null, c -> read(c, after));
                if (failing) {
                    failing = false;
                    LOG.log(Level.INFO, "eviction log readable again; local session copies will be re-checked");
                    listener.missedEvictions();
                }
                for (Object[] row : rows) {
                    long seq = (Long) row[0];
                    from = seq;
                    highest = Math.max(highest, seq);
                    if (delivered.add(seq) && !node.equals(row[1])) {
                        listener.evicted((String) row[2]);
                    }
                }
            } while (rows.size() == MAX_ROWS);
            advanceFloor(now);
            if (++polls % PURGE_EVERY_POLLS == 0) {
                jdbc.call("evictions", null, c -> purge(c, now - RETENTION_MILLIS));
            }
        } catch (StoreException e) {
            failing = true;
            warn("poll", "cannot read the eviction log: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "eviction listener failed: " + e, e);
        }
    }

    /** Moves the floor to the highest sequence seen {@link #RESCAN_MILLIS} ago; later rows are read again. */
    private void advanceFloor(long now) {
        recentHighs.addLast(new long[] {now, highest});
        while (!recentHighs.isEmpty() && now - recentHighs.peekFirst()[0] >= RESCAN_MILLIS) {
            floor = Math.max(floor, recentHighs.pollFirst()[1]);
        }
        long f = floor;
        delivered.removeIf(seq -> seq <= f);
    }

    private long highest(Connection c) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, tables.sql(HIGHEST)); ResultSet rows = s.executeQuery()) {
            rows.next();
            return rows.getLong(1); // 0 for an empty table
        }
    }

    private List<Object[]> read(Connection c, long after) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, tables.sql(READ))) {
            s.setLong(1, after);
            try (ResultSet rows = s.executeQuery()) {
                List<Object[]> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(new Object[] {rows.getLong(1), rows.getString(2), rows.getString(3)});
                }
                return result;
            }
        }
    }

    private Void purge(Connection c, long before) throws SQLException {
        try (PreparedStatement s = jdbc.prepare(c, tables.sql(PURGE))) {
            s.setLong(1, before);
            s.executeUpdate();
        }
        return null;
    }

    private void warn(String key, String message) {
        long suppressed = warnings.permit(key);
        if (suppressed >= 0) {
            LOG.log(Level.WARNING, message + (suppressed > 0 ? " (" + suppressed + " similar suppressed)" : ""));
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            try {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
