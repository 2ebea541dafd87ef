package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This node's local copies of sessions, by base id (the store key), whatever route their full id carries; and the
 * rules for letting go of one. Tomcat's own map (by full id, in {@code ManagerBase}) stays the registry Tomcat and
 * its manager application see: {@link ClusteredSessionManager#add} and {@code remove} keep both in step, and this
 * class reaches Tomcat's through {@code forgetInTomcat} only.
 *
 * <p>Letting go of a copy never fires listeners: the session lives on (or already ended) in the store.
 */
final class LocalCopies {

    private final Map<String, ClusteredSession> byBaseId = new ConcurrentHashMap<>();
    /** Removes a copy from Tomcat's map without listeners ({@code ManagerBase.remove(session, false)}). */
    private final Consumer<ClusteredSession> forgetInTomcat;

    LocalCopies(Consumer<ClusteredSession> forgetInTomcat) {
        this.forgetInTomcat = forgetInTomcat;
    }

    /** The local copy of a session, or null. */
    ClusteredSession get(String baseId) {
        return byBaseId.get(baseId);
    }

    /** Tomcat registered the session under its id (see {@code ManagerBase.add}). */
    void added(ClusteredSession session) {
        String id = session.getIdInternal();
        if (id != null) {
            byBaseId.put(SessionIds.baseId(id), session);
        }
    }

    /** Tomcat forgot the session registered under {@code id}; a successor under the same base id stays. */
    void removed(String id, ClusteredSession session) {
        byBaseId.remove(SessionIds.baseId(id), session);
    }

    /** Registers a copy built from the store under the id the request asked for. */
    void register(ClusteredSession session, String id) {
        session.setId(id, false); // Tomcat's setId: remove under the old id, add under the new, no listeners
    }

    /** Forgets the local copy, nothing else: a request still holding it keeps working with it. */
    void unregister(ClusteredSession session) {
        forgetInTomcat.accept(session);
    }

    /** The session is gone from the store (expired, invalidated elsewhere): drop the copy, fire nothing. */
    void drop(ClusteredSession session) {
        unregister(session);
        session.discard();
    }

    /**
     * Another node ended, renamed or took over this session: forget the local copy. A copy a request is using right
     * now, or one holding changes not yet sent, stays registered but stale, so that the next request reloads it from
     * the store.
     */
    void evictedElsewhere(String baseId) {
        ClusteredSession local = byBaseId.get(baseId);
        if (local == null) {
            return;
        }
        local.markStale();
        if (!local.isInUse() && !local.hasUnsentChanges()) {
            unregister(local);
        }
    }

    /** Evictions may have been missed (the channel was down): no local copy is served before the store is asked. */
    void markAllStale() {
        byBaseId.values().forEach(ClusteredSession::markStale);
    }

    int size() {
        return byBaseId.size();
    }
}
