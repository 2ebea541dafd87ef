package io.sessioncluster.tomcat;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The change marks taken from a {@link ClusteredSession} for one write: names set, names removed, whether the
 * session is not yet in the store, whether its timeout changed, whether its authentication state changed. Given back to the session if the write fails,
 * so the next request writes them again.
 */
record SessionChanges(Set<String> set, Set<String> removed, boolean created, boolean metadata, boolean auth) {

    /** No marks: what most requests take. */
    static final SessionChanges NONE = new SessionChanges(Set.of(), Set.of(), false, false, false);

    SessionChanges(Set<String> set, Set<String> removed, boolean created, boolean metadata) {
        this(set, removed, created, metadata, false);
    }

    SessionChanges {
        set = Set.copyOf(set);
        removed = Set.copyOf(removed);
    }

    boolean isEmpty() {
        return set.isEmpty() && removed.isEmpty() && !created && !metadata && !auth;
    }

    /** These marks followed by {@code later}'s: a later set cancels an earlier remove and the other way round. */
    SessionChanges then(SessionChanges later) {
        Set<String> s = new LinkedHashSet<>(set);
        Set<String> r = new LinkedHashSet<>(removed);
        s.removeAll(later.removed);
        r.removeAll(later.set);
        s.addAll(later.set);
        r.addAll(later.removed);
        return new SessionChanges(s, r, created || later.created, metadata || later.metadata, auth || later.auth);
    }
}
