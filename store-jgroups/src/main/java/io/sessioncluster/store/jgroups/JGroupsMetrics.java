package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.SessionStore;

import java.util.Optional;

/** Read-only figures of one JGroups node, for monitoring and the benchmarks. */
public final class JGroupsMetrics {

    /**
     * @param members            members in this node's current view
     * @param heldSessions       sessions this node holds (as owner or copy)
     * @param heldAttributeBytes encoded attribute bytes of those sessions
     * @param bytesSent          bytes this node's transport sent since it started (all protocols, headers included)
     * @param messagesSent       messages this node's transport sent since it started
     */
    public record Snapshot(int members, int heldSessions, long heldAttributeBytes, long bytesSent, long messagesSent) {
    }

    private JGroupsMetrics() {
    }

    /** The figures of {@code store}, or empty if it is not a JGroups store. */
    public static Optional<Snapshot> of(SessionStore store) {
        if (!(store instanceof JGroupsSessionStore node)) {
            return Optional.empty();
        }
        long bytes = 0;
        for (SessionRecord r : node.local().all()) {
            bytes += r.attributeBytes();
        }
        var stats = node.channel().getProtocolStack().getTransport().getMessageStats();
        return Optional.of(new Snapshot(node.channel().getView().size(), node.heldSessions(), bytes,
                stats.getNumBytesSent(), stats.getNumMsgsSent()));
    }
}
