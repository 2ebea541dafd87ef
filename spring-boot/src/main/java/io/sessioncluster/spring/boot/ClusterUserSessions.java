package io.sessioncluster.spring.boot;

import io.sessioncluster.tomcat.ClusteredSessionManager;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A user's sessions in the whole cluster, for an application with Spring Security: the starter indexes each session
 * under the name of its {@code SPRING_SECURITY_CONTEXT}'s authentication (or of its container login), so a user's
 * sessions on every instance can be listed and ended ("log out everywhere", or a limit of concurrent logins). A bean of
 * this type is present when Spring Security is.
 */
public final class ClusterUserSessions {

    private final SessionClusterManagers managers;

    ClusterUserSessions(SessionClusterManagers managers) {
        this.managers = managers;
    }

    /**
     * The ids (without route) of the live sessions of {@code principalName} on every instance; empty for a name that
     * has none.
     *
     * @throws io.sessioncluster.core.store.StoreException if the store does not answer
     */
    public Set<String> findSessionIds(String principalName) {
        Set<String> ids = new LinkedHashSet<>();
        for (ClusteredSessionManager manager : managers.all()) {
            ids.addAll(manager.findSessionIdsOf(principalName));
        }
        return ids;
    }

    /**
     * Ends every session of {@code principalName} on every instance, each as its {@code invalidate()} would (its
     * listeners run, an {@code HttpSessionEventPublisher}'s {@code HttpSessionDestroyedEvent} included).
     *
     * @return how many sessions this call ended
     * @throws io.sessioncluster.core.store.StoreException if the store does not answer
     */
    public int expireAll(String principalName) {
        int ended = 0;
        for (ClusteredSessionManager manager : managers.all()) {
            ended += manager.expireSessionsOf(principalName);
        }
        return ended;
    }
}
