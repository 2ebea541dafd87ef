package io.sessioncluster.tomcat;

import java.util.Map;
import java.util.Set;

/**
 * The end of a request: for each session it used, the change set goes to the writer, or, if the request only read,
 * a touch is batched. The valve knows when a request ends; this class knows what to write.
 */
final class RequestCompletion {

    private final ChangeSetBuilder builder;
    private final SessionWriter writer;
    private final TouchBatcher touches;

    RequestCompletion(ChangeSetBuilder builder, SessionWriter writer, TouchBatcher touches) {
        this.builder = builder;
        this.writer = writer;
        this.touches = touches;
    }

    /** @return false if a write failed (sync mode): the changes were kept for the next request */
    boolean complete(RequestScope scope, ClusteredSessionManager manager) {
        boolean ok = true;
        long now = System.currentTimeMillis();
        for (Map.Entry<ClusteredSession, Set<String>> used : scope.takeSessions()) {
            ClusteredSession session = used.getKey();
            if (!session.isUsable() || session.getManager() != manager) {
                continue; // invalidated (already deleted from the store) or dropped
            }
            session.writeLock.lock();
            try {
                PendingWrite write = builder.build(session, used.getValue(), now);
                if (write == null) {
                    touches.touch(session.baseId(), now);
                } else if (!writer.submit(write)) {
                    ok = false;
                    if (write.changes().created()) {
                        scope.createFailed(session);
                    }
                }
            } finally {
                session.writeLock.unlock();
            }
        }
        return ok;
    }
}
