package io.sessioncluster.core;

/**
 * Session ids arrive from the network in cookies and URLs: they are untrusted input. This class is
 * the one place that decides whether an id is well formed, splits off the {@code jvmRoute} suffix
 * that sticky load balancers route on, and redacts ids for log lines (a full id is a credential).
 *
 * <p>A well-formed id is 1 to {@value #MAX_LENGTH} characters of {@code [A-Za-z0-9_-]}, optionally
 * followed by one {@code .route} suffix of the same characters. Tomcat's default generator produces 32
 * upper-case hex characters, well inside this.
 */
public final class SessionIds {

    /** Longest id accepted, route included. Longer ids are rejected before any lookup. */
    public static final int MAX_LENGTH = 128;

    private SessionIds() {
    }

    /** True if {@code id} is well formed; a malformed id must be treated as no session at all. */
    public static boolean isWellFormed(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        int dot = -1;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '.') {
                if (dot >= 0 || i == 0 || i == id.length() - 1) {
                    return false;
                }
                dot = i;
            } else if (!isIdChar(c)) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link IllegalArgumentException} with a redacted id unless {@link #isWellFormed}. */
    public static String requireWellFormed(String id) {
        if (!isWellFormed(id)) {
            throw new IllegalArgumentException("malformed session id " + describe(id));
        }
        return id;
    }

    /** The id without its {@code .route} suffix: the key a store uses, the same on every node. */
    public static String baseId(String id) {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    /** The route suffix of {@code id}, or {@code null} if it has none. */
    public static String route(String id) {
        int dot = id.indexOf('.');
        return dot < 0 ? null : id.substring(dot + 1);
    }

    /** Whether {@code id}'s route is {@code route} (null: no route), without cutting the id apart. */
    public static boolean hasRoute(String id, String route) {
        int dot = id.indexOf('.');
        if (route == null) {
            return dot < 0;
        }
        return dot >= 0 && id.length() - dot - 1 == route.length() && id.startsWith(route, dot + 1);
    }

    /** {@code baseId} with {@code route} appended, or {@code baseId} alone if the route is null or empty. */
    public static String withRoute(String baseId, String route) {
        return route == null || route.isEmpty() ? baseId : baseId + '.' + route;
    }

    /** The first four characters and the length: enough to correlate log lines, useless to an attacker. */
    public static String redact(String id) {
        if (id == null) {
            return "null";
        }
        String head = id.length() <= 4 ? id : id.substring(0, 4);
        StringBuilder safe = new StringBuilder(head.length());
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            safe.append(isIdChar(c) ? c : '?');
        }
        return safe + "…(" + id.length() + " chars)";
    }

    private static String describe(String id) {
        if (id == null) {
            return "(null)";
        }
        if (id.isEmpty()) {
            return "(empty)";
        }
        if (id.length() > MAX_LENGTH) {
            return redact(id) + ", longer than " + MAX_LENGTH;
        }
        return redact(id) + ", allowed are [A-Za-z0-9_-] with one optional .route suffix";
    }

    private static boolean isIdChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
