package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store operations an application triggers that must not wait for write-behind: {@code changeSessionId} (the
 * session moves atomically, the old id stops working everywhere) and {@code invalidate} (the session is deleted).
 * Both first settle what the writer holds for the session, so a queued write cannot land under the old id or
 * recreate a deleted session.
 */
final class RenameAndDelete {

    private static final Log log = Logs.of(RenameAndDelete.class);
    private static final StringManager sm = StringManager.getManager(RenameAndDelete.class);

    private final SessionStore store;
    private final SessionWriter writer;
    private final TouchBatcher touches;
    /** Sessions invalidated while the store was down: deleted as soon as it answers. */
    private final Set<String> pendingDeletes = ConcurrentHashMap.newKeySet();

    RenameAndDelete(SessionStore store, SessionWriter writer, TouchBatcher touches) {
        this.store = store;
        this.writer = writer;
        this.touches = touches;
    }

    /**
     * Moves a session to a new base id in the store. Caller holds the session's write lock.
     *
     * @throws StoreException if the store fails; nothing moved
     */
    void move(ClusteredSession session, String oldBase, String newBase) {
        writer.settle(oldBase, false);
        touches.forget(oldBase);
        if (session.isUnstored()) {
            return; // its first write creates it under the new id
        }
        if (!store.changeId(oldBase, newBase)) {
            log.warn(sm.getString("manager.changeIdFailed", SessionIds.redact(oldBase), SessionIds.redact(newBase)));
        }
    }

    /**
     * Deletes a session from the store, synchronously in every write mode. Caller holds the session's write lock.
     *
     * @return false if the store failed: the delete is retried in the background
     */
    boolean delete(ClusteredSession session) {
        String id = session.baseId();
        writer.settle(id, true);
        touches.forget(id);
        try {
            store.delete(id);
            pendingDeletes.remove(id);
            return true;
        } catch (StoreException e) {
            // The user asked to end the session (a logout): it ends here now, and in the store once it answers.
            pendingDeletes.add(id);
            log.warn(sm.getString("manager.deletePending", SessionIds.redact(id), e.getMessage()));
            return false;
        }
    }

    /** Never throws; stops at the first failure (the store is still down). */
    void retryPendingDeletes() {
        for (String id : List.copyOf(pendingDeletes)) {
            try {
                store.delete(id);
                pendingDeletes.remove(id);
            } catch (StoreException e) {
                return;
            }
        }
    }
}
