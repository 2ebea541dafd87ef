package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.store.SessionStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The listings of {@link JdbcSessionStore}, read-only and autocommitted: a user's sessions through the index on the
 * {@code principal} column, and the operators' walk over every session in id order.
 *
 * <p>{@code sessionsOf}: {@code SELECT id FROM t_sessions WHERE principal = ? AND expires_at > now}, {@code now} the
 * database's clock ({@link Dialect#nowMillis()}), so that every node agrees on which sessions are over. The index on
 * {@code principal} finds the name's rows; {@code expires_at} (kept by every write and touch) is compared on those
 * rows only. A name that no write can have indexed is answered without a statement.
 *
 * <p>{@code page}: keyset pagination on the primary key, {@code WHERE id > ? ORDER BY id LIMIT ?}, one row more than
 * the page to know whether another follows; metadata only, no attribute row is read. The cursor is the page's last
 * id ({@link PageCursor}), so a walk costs one index range read per page however far it has gone, and it can go on
 * on any node.
 */
final class SessionListings {

    private static final String SUMMARY = "SELECT id, creation_time, last_access, max_inactive, principal FROM {sessions}";

    private final Jdbc jdbc;
    private final String sessionsOf;
    private final String firstPage;
    private final String nextPage;

    SessionListings(Jdbc jdbc, Tables tables) {
        this.jdbc = jdbc;
        this.sessionsOf = tables.sql("SELECT id FROM {sessions} WHERE principal = ? AND expires_at > ")
                + jdbc.dialect().nowMillis();
        this.firstPage = tables.sql(SUMMARY + " ORDER BY id LIMIT ?");
        this.nextPage = tables.sql(SUMMARY + " WHERE id > ? ORDER BY id LIMIT ?");
    }

    Set<String> sessionsOf(String principal) {
        if (!PrincipalChange.isIndexable(principal) || !jdbc.dialect().canStore(principal)) {
            return Set.of();
        }
        return jdbc.callHiding("sessionsOf", List.of(), List.of(principal), c -> {
            try (PreparedStatement s = jdbc.prepare(c, sessionsOf)) {
                s.setString(1, principal);
                Set<String> ids = new HashSet<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
                return Collections.unmodifiableSet(ids);
            }
        });
    }

    SessionPage page(String cursor, int limit) {
        SessionStore.requirePageLimit(limit);
        String after = cursor == null ? null : PageCursor.id(cursor);
        return jdbc.callHiding("page", after == null ? List.of() : List.of(after), List.of(), c -> {
            List<SessionSummary> sessions = new ArrayList<>(limit + 1);
            try (PreparedStatement s = jdbc.prepare(c, after == null ? firstPage : nextPage)) {
                int next = 1;
                if (after != null) {
                    s.setString(next++, after);
                }
                s.setInt(next, limit + 1);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        sessions.add(new SessionSummary(rows.getString(1), rows.getLong(2), rows.getLong(3),
                                rows.getInt(4), rows.getString(5)));
                    }
                }
            }
            if (sessions.size() <= limit) {
                return new SessionPage(sessions, null);
            }
            List<SessionSummary> page = sessions.subList(0, limit);
            return new SessionPage(page, PageCursor.after(page.get(limit - 1).id()));
        });
    }
}
