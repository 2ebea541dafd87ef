package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionSummary;

import org.apache.catalina.session.StandardSession;

import java.security.Principal;

/**
 * A session another node holds, as Tomcat's manager application lists it: its id, times and user, no attributes,
 * never registered with the manager. Expiring or invalidating it (the application's buttons) ends the real session in
 * the whole cluster through {@link UserSessions#end}, with its listeners.
 */
final class ClusterSessionView extends StandardSession {

    private static final long serialVersionUID = 1L;

    private final transient UserSessions ender;
    private final String baseId;

    /** @param summary times on this node's clock already */
    ClusterSessionView(ClusteredSessionManager manager, UserSessions ender, SessionSummary summary) {
        super(manager);
        this.ender = ender;
        this.baseId = summary.id();
        // The fields directly: setId would register the view with the manager, setters would fire events.
        this.id = SessionIds.withRoute(summary.id(), manager.getJvmRoute());
        this.creationTime = summary.creationTime();
        this.lastAccessedTime = summary.lastAccessedTime();
        this.thisAccessedTime = summary.lastAccessedTime();
        this.maxInactiveInterval = summary.maxInactiveSeconds();
        this.principal = summary.principal() == null ? null : new Named(summary.principal());
        this.isNew = false;
        this.isValid = true;
    }

    /** Never expires on its own: the store decides, for the real session. */
    @Override
    public boolean isValid() {
        return isValid;
    }

    /** The manager application's "expire" (idle sessions) and "invalidate" (selected sessions) both end here. */
    @Override
    public void expire() {
        if (isValid) {
            isValid = false;
            ender.end(baseId);
        }
    }

    @Override
    public void invalidate() {
        if (!isValid) {
            throw new IllegalStateException("the session has ended already");
        }
        expire();
    }

    /** The user as the store's index names it. */
    private record Named(String name) implements Principal {
        @Override
        public String getName() {
            return name;
        }
    }
}
