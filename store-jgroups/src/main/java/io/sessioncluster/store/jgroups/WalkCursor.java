package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.SessionIds;

/**
 * The cursor of {@link SessionWalk}: the last id of the page before, behind a prefix that says it is this store's
 * (and which version of the walk made it). Opaque to callers, and checked as untrusted input: anything else is refused
 * with an {@link IllegalArgumentException}, without repeating it in full (it may hold a session id).
 */
final class WalkCursor {

    /** Not an id character, so no id is ever mistaken for a cursor. */
    private static final String PREFIX = "jg1.";

    private WalkCursor() {
    }

    static String after(String lastId) {
        return PREFIX + lastId;
    }

    /** The last id the cursor names; null for the start of a walk (a null cursor). */
    static String lastId(String cursor) {
        if (cursor == null) {
            return null;
        }
        String id = cursor.startsWith(PREFIX) ? cursor.substring(PREFIX.length()) : null;
        if (id == null || !Wire.isId(id)) {
            throw new IllegalArgumentException("not a cursor of this JGroups store's walk: "
                    + SessionIds.redact(cursor) + " (start with a null cursor, then pass each page's next)");
        }
        return id;
    }
}
