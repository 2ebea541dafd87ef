package io.sessioncluster.benchmarks.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;
import io.sessioncluster.core.store.SessionStores;
import io.sessioncluster.store.jgroups.JGroupsMetrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Figures of the JGroups store, all in one run on one host (real channels over loopback, all nodes in this JVM):
 * bytes sent per request and memory held per node for 2, 4, 6 and 8 members, replication=all against
 * primary-backup with one backup, on the same workload; and how long sessions take to be served again after
 * their owner leaves. Not a timed test: a program that prints a table.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.sessioncluster.benchmarks.jgroups.JGroupsFigures [sessions] [requests]</pre>
 */
public final class JGroupsFigures {

    private static final int ATTRIBUTES = 10;
    private static final int VALUE_BYTES = 200;
    private static int cluster;

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        System.out.printf("Workload: %d sessions of %d attributes x %d bytes, then %d requests each changing one"
                + " attribute, spread over the members.%n%n", sessions, ATTRIBUTES, VALUE_BYTES, requests);
        System.out.printf("%-8s %-16s %14s %16s %18s %18s%n", "members", "replication", "bytes/request",
                "msgs/request", "attr KB/node(avg)", "heap KB/node(avg)");
        for (int members : new int[] {2, 4, 6, 8}) {
            for (String replication : new String[] {"all", "primary-backup"}) {
                Row row = measure(members, replication, sessions, requests);
                System.out.printf("%-8d %-16s %14.0f %16.2f %18.0f %18.0f%n", members, replication, row.bytesPerRequest,
                        row.messagesPerRequest, row.attributeKbPerNode, row.heapKbPerNode);
            }
        }
        System.out.println();
        for (String replication : new String[] {"all", "primary-backup"}) {
            System.out.printf("Handover, %s, 4 members, owner leaves: %d ms until every session is written again%n",
                    replication, handover(replication, 4, 500));
        }
    }

    private record Row(double bytesPerRequest, double messagesPerRequest, double attributeKbPerNode, double heapKbPerNode) {
    }

    private static Row measure(int members, String replication, int sessions, int requests) throws Exception {
        long heapBefore = usedHeapAfterGc();
        List<SessionStore> nodes = open(members, replication);
        try {
            Random random = new Random(42);
            for (int s = 0; s < sessions; s++) {
                Map<String, byte[]> attributes = new LinkedHashMap<>();
                for (int a = 0; a < ATTRIBUTES; a++) {
                    attributes.put("attribute-" + a, value(random));
                }
                write(nodes.get(s % members), new ChangeSet(id(s), true, now(), now(), 1800, attributes, Set.of()));
            }
            long heapAfter = usedHeapAfterGc();
            long bytesBefore = 0;
            long messagesBefore = 0;
            for (SessionStore n : nodes) {
                bytesBefore += JGroupsMetrics.of(n).orElseThrow().bytesSent();
                messagesBefore += JGroupsMetrics.of(n).orElseThrow().messagesSent();
            }
            for (int r = 0; r < requests; r++) {
                SessionStore node = nodes.get(random.nextInt(members));
                write(node, new ChangeSet(id(random.nextInt(sessions)), false, now(), now(), 1800,
                        Map.of("attribute-" + random.nextInt(ATTRIBUTES), value(random)), Set.of()));
            }
            long bytes = -bytesBefore;
            long messages = -messagesBefore;
            long attributeBytes = 0;
            for (SessionStore n : nodes) {
                JGroupsMetrics.Snapshot snapshot = JGroupsMetrics.of(n).orElseThrow();
                bytes += snapshot.bytesSent();
                messages += snapshot.messagesSent();
                attributeBytes += snapshot.heldAttributeBytes();
            }
            return new Row((double) bytes / requests, (double) messages / requests,
                    attributeBytes / 1024.0 / members, (heapAfter - heapBefore) / 1024.0 / members);
        } finally {
            nodes.forEach(SessionStore::close);
        }
    }

    /** Milliseconds from a member's graceful leave until every session can be written again through a survivor. */
    private static long handover(String replication, int members, int sessions) throws Exception {
        List<SessionStore> nodes = open(members, replication);
        try {
            Random random = new Random(7);
            for (int s = 0; s < sessions; s++) {
                write(nodes.get(s % members), new ChangeSet(id(s), true, now(), now(), 1800,
                        Map.of("a", value(random)), Set.of()));
            }
            SessionStore leaving = nodes.remove(0);
            long start = System.nanoTime();
            leaving.close();
            SessionStore survivor = nodes.get(0);
            for (int s = 0; s < sessions; s++) {
                WriteResult r = survivor.write(new ChangeSet(id(s), false, now(), now(), 1800, Map.of("a", value(random)), Set.of()));
                if (r.status() != WriteResult.Status.WRITTEN) {
                    throw new IllegalStateException("session " + s + " lost in the handover: " + r);
                }
            }
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            nodes.forEach(SessionStore::close);
        }
    }

    private static List<SessionStore> open(int members, String replication) {
        SessionStoreProvider provider = SessionStores.discover(JGroupsFigures.class.getClassLoader()).get("jgroups");
        Map<String, String> raw = new HashMap<>();
        raw.put("replication", replication);
        raw.put("backups", "1");
        raw.put("clusterName", "figures-" + ProcessHandle.current().pid() + "-" + (++cluster));
        raw.put("jgroupsBindPort", "0");
        raw.put("jgroupsJoinTimeoutMillis", "1000");
        raw.put("jgroupsFailureDetectionMillis", "3000");
        raw.put("jgroupsMulticastPort", Integer.toString(47000 + (int) (ProcessHandle.current().pid() % 1000)));
        Settings settings = Settings.parse(provider.settings(), raw);
        List<SessionStore> nodes = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            nodes.add(provider.open(settings, "/figures"));
        }
        int seen = JGroupsMetrics.of(nodes.get(0)).orElseThrow().members();
        if (seen != members) {
            throw new IllegalStateException("only " + seen + " of " + members + " members formed one cluster");
        }
        return nodes;
    }

    private static void write(SessionStore node, ChangeSet change) {
        WriteResult r = node.write(change);
        if (r.status() != WriteResult.Status.WRITTEN) {
            throw new IllegalStateException("write failed: " + r);
        }
    }

    private static byte[] value(Random random) {
        byte[] v = new byte[VALUE_BYTES];
        random.nextBytes(v);
        return v;
    }

    private static String id(int s) {
        return "figures-session-" + s;
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
