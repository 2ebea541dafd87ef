package io.sessioncluster.tomcat;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;

import org.apache.catalina.Session;
import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's sessions of a context as Tomcat's manager application lists them: this node's copies first, then the
 * sessions only other nodes hold, walked from the store ({@link SessionStore#page}) in pages until the limit, each as
 * a {@link ClusterSessionView}.
 */
final class ClusterListing {

    private static final Log log = Logs.of(ClusterListing.class);
    private static final StringManager sm = StringManager.getManager(ClusterListing.class);
    private static final RateLimitedLog failures = new RateLimitedLog(60, TimeUnit.SECONDS);
    static final int PAGE_SIZE = 100;
    private static final String MANAGER_APPLICATION = "org.apache.catalina.manager.";
    private static final StackWalker STACK = StackWalker.getInstance();

    private final ClusteredSessionManager manager;
    private final SessionStore store;
    private final StoreClock clock;
    private final UserSessions ender;

    ClusterListing(ClusteredSessionManager manager, SessionStore store, StoreClock clock, UserSessions ender) {
        this.manager = manager;
        this.store = store;
        this.clock = clock;
        this.ender = ender;
    }

    /**
     * True when Tomcat's manager application asks (its servlets live in {@code org.apache.catalina.manager}). Tomcat's
     * own callers of {@code findSessions} (expiry, unload) and this library's must see this node's copies only, and the
     * walk costs store round trips, so only the one caller that shows sessions to an operator gets it.
     */
    static boolean calledByManagerApplication() {
        return STACK.walk(frames -> frames.limit(12)
                .anyMatch(f -> f.getClassName().startsWith(MANAGER_APPLICATION)));
    }

    /** {@code local} followed by the sessions only the store knows, {@code limit} in all; {@code local} if it fails. */
    Session[] withClusterSessions(Session[] local, int limit) {
        Set<String> seen = new HashSet<>();
        for (Session s : local) {
            seen.add(SessionIds.baseId(s.getIdInternal()));
        }
        List<Session> all = new ArrayList<>(Arrays.asList(local));
        try {
            String cursor = null;
            do {
                SessionPage page = store.page(cursor, Math.min(PAGE_SIZE, Math.max(1, limit - all.size())));
                for (SessionSummary summary : page.sessions()) {
                    if (all.size() < limit && seen.add(summary.id())) {
                        all.add(new ClusterSessionView(manager, ender, onNodeClock(summary)));
                    }
                }
                cursor = page.next();
            } while (cursor != null && all.size() < limit);
        } catch (StoreException e) {
            long suppressed = failures.permit("page");
            if (suppressed >= 0) {
                log.warn(sm.getString("listing.failed", e.getMessage(), Long.valueOf(suppressed)));
            }
            return local;
        }
        return all.toArray(new Session[0]);
    }

    private SessionSummary onNodeClock(SessionSummary s) {
        return new SessionSummary(s.id(), clock.toNode(s.creationTime()), clock.toNode(s.lastAccessedTime()),
                s.maxInactiveSeconds(), s.principal());
    }
}
