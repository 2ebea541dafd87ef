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
            if (session.isUsable() && session.getManager() == manager) { // else invalidated (deleted) or dropped
                ok &= write(session, used.getValue(), now, scope);
            }
        }
        return ok;
    }

    /**
     * Writes what a session holds now, in the middle of its request, with the reads checked at its end as usual.
     *
     * @return false if the write failed: the changes were kept, for the end of the request or the next one
     */
    boolean writeNow(ClusteredSession session, RequestScope scope) {
        return !session.isUsable() || write(session, Set.of(), System.currentTimeMillis(), scope);
    }

    private boolean write(ClusteredSession session, Set<String> reads, long now, RequestScope scope) {
        session.writeLock.lock();
        try {
            PendingWrite write = builder.build(session, reads, now);
            if (write == null) {
                touches.touch(session.baseId(), now);
                return true;
            }
            if (writer.submit(write)) {
                return true;
            }
            if (write.changes().created()) {
                scope.createFailed(session);
            }
            return false;
        } finally {
            session.writeLock.unlock();
        }
    }
}
