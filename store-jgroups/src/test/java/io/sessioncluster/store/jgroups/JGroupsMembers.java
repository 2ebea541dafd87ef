package io.sessioncluster.store.jgroups;

import java.util.ArrayList;
import java.util.List;

/**
 * The store nodes one test opened on a fresh cluster of its own, each with one backup: closed after the test, except
 * those it crashed or closed itself ({@link #forget}).
 */
final class JGroupsMembers implements AutoCloseable {

    private final String cluster;
    private final List<JGroupsSessionStore> nodes = new ArrayList<>();

    JGroupsMembers(String namePrefix) {
        this.cluster = JGroupsTestNodes.freshClusterName(namePrefix);
    }

    /** A new member in {@code replication} mode ({@code all} or {@code primary-backup}). */
    JGroupsSessionStore node(String replication) {
        JGroupsSessionStore node = JGroupsTestNodes.open(cluster, "replication", replication, "backups", "1");
        nodes.add(node);
        return node;
    }

    /** The members still open, in the order they were opened. */
    List<JGroupsSessionStore> open() {
        return List.copyOf(nodes);
    }

    /** The test ended this member itself (a crash, a close): not closed again. */
    void forget(JGroupsSessionStore node) {
        nodes.remove(node);
    }

    @Override
    public void close() {
        nodes.forEach(JGroupsSessionStore::close);
    }
}
