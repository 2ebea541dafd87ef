package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.WriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.create;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.update;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.value;
import static org.assertj.core.api.Assertions.assertThat;

/** The stacks besides the default: the bundled tcp stack (no multicast) with a secret, and a custom XML stack file. */
@Timeout(60)
class JGroupsStacksIT {

    @Test
    void membersFindEachOtherThroughTheHostListAndReplicate() {
        int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        String cluster = JGroupsTestNodes.freshClusterName("tcp");
        String[] tcp = {"jgroupsStack", "tcp", "jgroupsBindPort", Integer.toString(port), "jgroupsPortRange", "3",
                "jgroupsInitialHosts", "127.0.0.1[" + port + "]", "jgroupsSecret", "a shared secret for tcp tests",
                "replication", "primary-backup"};
        try (JGroupsSessionStore a = JGroupsTestNodes.open(cluster, tcp);
             JGroupsSessionStore b = JGroupsTestNodes.open(cluster, tcp)) {
            assertThat(JGroupsTestNodes.viewSize(b)).isEqualTo(2);
            assertThat(a.write(create("tcp-session", "x", "1"))).isEqualTo(WriteResult.written(1));
            assertThat(value(b.load("tcp-session").orElseThrow(), "x")).isEqualTo("1");
            assertThat(b.write(update("tcp-session", "x", "2"))).isEqualTo(WriteResult.written(2));
            assertThat(value(a.load("tcp-session").orElseThrow(), "x")).isEqualTo("2");
        }
    }

    @Test
    void aCustomStackFileIsUsedAsIs(@TempDir Path dir) throws Exception {
        Path stack = Files.writeString(dir.resolve("stack.xml"), """
                <config xmlns="urn:org:jgroups">
                  <UDP bind_addr="127.0.0.1" bind_port="0" mcast_port="%d" ip_ttl="0"/>
                  <PING/>
                  <MERGE3 min_interval="1000" max_interval="2000"/>
                  <FD_SOCK2/>
                  <FD_ALL3 timeout="3000" interval="1000"/>
                  <VERIFY_SUSPECT2 timeout="500"/>
                  <pbcast.NAKACK2/>
                  <UNICAST3/>
                  <pbcast.STABLE/>
                  <pbcast.GMS join_timeout="600"/>
                  <FRAG4/>
                </config>
                """.formatted(JGroupsTestNodes.MULTICAST_PORT));
        String cluster = JGroupsTestNodes.freshClusterName("custom");
        try (JGroupsSessionStore a = JGroupsTestNodes.open(cluster, "jgroupsConfig", stack.toString());
             JGroupsSessionStore b = JGroupsTestNodes.open(cluster, "jgroupsConfig", stack.toString())) {
            assertThat(JGroupsTestNodes.viewSize(b)).isEqualTo(2);
            assertThat(a.write(create("custom-session", "x", "1"))).isEqualTo(WriteResult.written(1));
            assertThat(value(b.load("custom-session").orElseThrow(), "x")).isEqualTo("1");
        }
    }
}
