package io.sessioncluster.tomcat;

import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tomcat nodes backed by the JGroups store: a fresh cluster name per test, a multicast port per test run, short
 * join and failure-detection times; and a way to crash a node (its channel goes silent before Tomcat stops).
 */
final class JGroupsNodes {

    private static final int MULTICAST_PORT = 46000 + ThreadLocalRandom.current().nextInt(3000);
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    private JGroupsNodes() {
    }

    static String freshCluster() {
        return "tomcat-it-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet();
    }

    /** Manager settings of a node of {@code cluster}; {@code extra} are name/value pairs. */
    static Map<String, String> settings(String cluster, String... extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("store", "jgroups");
        settings.put("clusterName", cluster);
        settings.put("jgroupsBindPort", "0");
        settings.put("jgroupsMulticastPort", Integer.toString(MULTICAST_PORT));
        settings.put("jgroupsJoinTimeoutMillis", "1000");
        settings.put("jgroupsMergeIntervalMillis", "1000");
        settings.put("jgroupsFailureDetectionMillis", "2000");
        for (int i = 0; i < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return settings;
    }

    /**
     * Crashes a node: its JGroups channel drops all traffic from now on (no goodbye reaches the others), then
     * Tomcat stops. The others notice through failure detection, as with a killed process.
     */
    static void crash(TestNode node) throws Exception {
        JChannel channel = find(node.manager(), JChannel.class);
        DISCARD discard = new DISCARD().discardAll(true);
        channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TP.class);
        node.close();
    }

    /** The first object of {@code type} reachable through the fields of {@code root} (test plumbing only). */
    private static <T> T find(Object root, Class<T> type) throws IllegalAccessException {
        Deque<Object> queue = new ArrayDeque<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        queue.add(root);
        while (!queue.isEmpty()) {
            Object current = queue.poll();
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            if (!seen.add(current) || current.getClass().getName().startsWith("java.")
                    || current.getClass().getName().startsWith("org.apache.")) {
                continue;
            }
            for (Class<?> c = current.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                    } catch (RuntimeException e) {
                        continue;
                    }
                    Object value = f.get(current);
                    if (value != null) {
                        queue.add(value);
                    }
                }
            }
        }
        throw new IllegalStateException("no " + type.getSimpleName() + " reachable from " + root);
    }
}
