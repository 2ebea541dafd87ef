package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.StoreException;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.stack.Protocol;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * Opens real JGroups nodes over loopback for tests: the bundled udp stack on 127.0.0.1, a multicast port of
 * this test run (so that runs on one host do not meet), short join and failure-detection times, and a fresh
 * cluster name per test (so tests never share sessions). Every node has a DISCARD protocol above its transport,
 * idle until a test uses it to cut the node off.
 */
final class JGroupsTestNodes {

    /** One per JVM: tests of one run share it; clusters are kept apart by name. */
    static final int MULTICAST_PORT = 46000 + ThreadLocalRandom.current().nextInt(3000);
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    private JGroupsTestNodes() {
    }

    static String freshClusterName(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet();
    }

    /** Settings of a test node of {@code cluster}; {@code extra} are name/value pairs that override them. */
    static Map<String, String> settings(String cluster, String... extra) {
        Map<String, String> raw = new HashMap<>();
        raw.put("clusterName", cluster);
        raw.put("jgroupsBindPort", "0");
        raw.put("jgroupsMulticastPort", Integer.toString(MULTICAST_PORT));
        raw.put("jgroupsJoinTimeoutMillis", "600");
        raw.put("jgroupsFailureDetectionMillis", "2000");
        raw.put("jgroupsMergeIntervalMillis", "1000");
        raw.put("jgroupsTimeoutMillis", "5000");
        for (int i = 0; i < extra.length; i += 2) {
            raw.put(extra[i], extra[i + 1]);
        }
        return raw;
    }

    /** A node of {@code cluster}; with a DISCARD protocol in its stack (see {@link #discard}) unless jgroupsConfig is set. */
    static JGroupsSessionStore open(String cluster, String... extra) {
        return open(cluster, System::currentTimeMillis, extra);
    }

    /** A node whose own clock is {@code wallClock} (what it answers as coordinator, see {@link ClusterClock}). */
    static JGroupsSessionStore open(String cluster, LongSupplier wallClock, String... extra) {
        Settings settings = Settings.parse(JGroupsSettings.ALL, settings(cluster, extra));
        JGroupsSessionStoreProvider.checkCombination(settings);
        JGroupsStack stack = JGroupsStack.from(settings);
        java.util.function.Function<String, JChannel> channels = settings.get(JGroupsSettings.CONFIG).isPresent()
                ? stack::channel : name -> withDiscard(stack, name);
        return new JGroupsSessionStore(channels, cluster,
                settings.get(JGroupsSettings.REPLICATION), settings.get(JGroupsSettings.BACKUPS),
                settings.get(JGroupsSettings.TIMEOUT_MILLIS), settings.get(JGroupsSettings.TOMBSTONE_SECONDS) * 1000L,
                settings.get(JGroupsSettings.MAX_MESSAGE_BYTES), "/test", wallClock).start();
    }

    private static JChannel withDiscard(JGroupsStack stack, String cluster) {
        try {
            List<Protocol> protocols = new java.util.ArrayList<>(stack.protocols(cluster));
            protocols.add(1, new DISCARD());
            return new JChannel(protocols);
        } catch (Exception e) {
            throw new StoreException("test stack", e);
        }
    }

    static DISCARD discard(JGroupsSessionStore node) {
        return node.channel().getProtocolStack().findProtocol(DISCARD.class);
    }

    /** Crashes a node: from now on it neither sends nor receives, then its channel closes without a goodbye. */
    static void crash(JGroupsSessionStore node) {
        discard(node).discardAll(true);
        node.close();
    }

    /** {@code count} ids whose primary owner is {@code owner} in the picture of every one of {@code nodes}. */
    static List<String> ownedBy(JGroupsSessionStore owner, String prefix, int count, List<JGroupsSessionStore> nodes) {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000 && ids.size() < count; i++) {
            String id = prefix + "-" + i;
            if (nodes.stream().allMatch(n -> owner.channel().address().equals(n.topology().primary(id)))) {
                ids.add(id);
            }
        }
        if (ids.size() < count) {
            throw new AssertionError("not " + count + " ids owned by " + owner.channel().address());
        }
        return ids;
    }

    static int viewSize(JGroupsSessionStore node) {
        return node.channel().getView().size();
    }

    static void await(Duration limit, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

}
