package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.SessionStore;

import org.apache.catalina.Session;
import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.io.IOException;
import java.util.Set;

/**
 * A user's sessions in the whole cluster, from the store's principal index ({@link SessionStore#sessionsOf}): listed,
 * and ended everywhere ("log out everywhere"). Ending one loads it on this node and invalidates it there, so its
 * listeners ({@code sessionDestroyed}, {@code valueUnbound}) run once, with its attributes, as they would for a
 * logout; the store deletes it and tells the other nodes to drop their copies.
 */
final class UserSessions {

    private static final Log log = Logs.of(UserSessions.class);
    private static final StringManager sm = StringManager.getManager(UserSessions.class);

    private final ClusteredSessionManager manager;
    private final SessionStore store;

    UserSessions(ClusteredSessionManager manager, SessionStore store) {
        this.manager = manager;
        this.store = store;
    }

    /**
     * The ids (without route) of the live sessions indexed under {@code principal}; empty for a name never indexed (the
     * store answers a name it cannot index, null included, with none).
     */
    Set<String> idsOf(String principal) {
        return store.sessionsOf(principal);
    }

    /** Ends every session of {@code principal} in the cluster; returns how many this call ended. */
    int endAll(String principal) {
        int ended = 0;
        for (String id : idsOf(principal)) {
            if (end(id)) {
                ended++;
            }
        }
        log.info(sm.getString("userSessions.ended", Integer.valueOf(ended)));
        return ended;
    }

    /**
     * Ends one session everywhere: invalidated here with its listeners if it can be loaded, else deleted from the store
     * (a record this node cannot read must not outlive the request to end it). False if it was gone already.
     */
    boolean end(String baseId) {
        Session session;
        try {
            session = manager.findSession(SessionIds.withRoute(baseId, manager.getJvmRoute()));
        } catch (IOException e) {
            session = null;
        }
        if (session instanceof ClusteredSession cs && cs.isUsable()) {
            try {
                cs.invalidate();
                return true;
            } catch (IllegalStateException e) {
                return false; // invalidated meanwhile by a request of its own
            }
        }
        return store.delete(baseId);
    }
}
