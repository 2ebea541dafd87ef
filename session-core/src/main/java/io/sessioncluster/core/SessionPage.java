package io.sessioncluster.core;

import java.util.List;
import java.util.Objects;

/**
 * One page of a walk over every session a store holds ({@link io.sessioncluster.core.store.SessionStore#page}).
 *
 * @param sessions the sessions of this page, at most the limit asked for; a page may be short (even empty) before
 *                 the end, as a Redis {@code SCAN} step may
 * @param next     the cursor of the next page, or null when the walk is complete
 */
public record SessionPage(List<SessionSummary> sessions, String next) {

    public SessionPage {
        sessions = List.copyOf(Objects.requireNonNull(sessions, "sessions"));
    }

    public boolean isLast() {
        return next == null;
    }
}
