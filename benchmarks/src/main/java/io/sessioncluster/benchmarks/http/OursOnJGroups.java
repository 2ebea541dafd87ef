package io.sessioncluster.benchmarks.http;

import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.testing.ShopModel;
import io.sessioncluster.store.jgroups.JGroupsMetrics;
import io.sessioncluster.tomcat.ClusteredSessionManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Our {@link ClusteredSessionManager} with the JGroups store: the two nodes are the two members of one cluster, in
 * the benchmark's JVM, over the bundled UDP stack on loopback (the defaults), with a cluster name of their own per
 * run and any free unicast port. Store figures are what the two members' transports sent
 * ({@link JGroupsMetrics}: every protocol, headers, heartbeats and acknowledgements included; a multicast counts
 * once).
 */
final class OursOnJGroups {

    private OursOnJGroups() {
    }

    static Scenario.Factory factory(String replication, boolean sticky, String writeMode, String... extra) {
        return env -> {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("store", "jgroups");
            settings.put("replication", replication);
            settings.put("clusterName", "bench-" + UUID.randomUUID());
            settings.put("jgroupsBindPort", "0");
            settings.put("jgroupsJoinTimeoutMillis", "1000");
            settings.put("writeMode", writeMode);
            settings.put("sticky", Boolean.toString(sticky));
            settings.put("allowedClasses", ShopModel.class.getName());
            for (int i = 0; i + 1 < extra.length; i += 2) {
                settings.put(extra[i], extra[i + 1]);
            }
            List<ClusteredSessionManager> managers = new ArrayList<>();
            List<TomcatNode> nodes = TwoNodes.start(env, sticky, i -> (tomcat, context) -> {
                ClusteredSessionManager manager = new ClusteredSessionManager();
                settings.forEach(manager::setProperty);
                context.setManager(manager);
                managers.add(manager);
            });
            List<SessionStore> stores = managers.stream().map(ManagerStore::of).toList();
            int members = JGroupsMetrics.of(stores.get(0)).orElseThrow().members();
            if (members != 2) {
                nodes.forEach(TomcatNode::close);
                throw new IllegalStateException("the two nodes formed no cluster of two (view of node1: " + members
                        + " members)");
            }
            return new Deployment(nodes, new JGroupsProbe(stores));
        };
    }

    /** Bytes and messages both members' transports sent. */
    private record JGroupsProbe(List<SessionStore> stores) implements StoreProbe {
        @Override
        public StoreCounters counters() {
            long bytes = 0;
            long messages = 0;
            for (SessionStore s : stores) {
                JGroupsMetrics.Snapshot m = JGroupsMetrics.of(s).orElseThrow();
                bytes += m.bytesSent();
                messages += m.messagesSent();
            }
            return new StoreCounters(bytes, messages, -1, messages);
        }

        @Override
        public String describe() {
            return "JGroups messages the members' transports sent";
        }
    }
}
