package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.WriteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.create;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.update;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.value;
import static io.sessioncluster.store.jgroups.JGroupsTestNodes.await;
import static io.sessioncluster.store.jgroups.JGroupsTestNodes.viewSize;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dns stack (DNS_PING over TCP) against a real DNS server: a dnsmasq whose A records of one name are three
 * loopback addresses, as a Kubernetes headless Service lists its pods. Each member binds its own address and the
 * same port, so members find each other only through DNS (no multicast, no host list), then replicate sessions.
 */
@Timeout(90)
class JGroupsDnsDiscoveryIT {

    private static final String NAME = "members.session-cluster.test";
    private static final List<String> MEMBERS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");

    @TempDir
    static Path dir;
    private static Dnsmasq dns;

    @BeforeAll
    static void startDns() throws Exception {
        dns = Dnsmasq.start(dir, NAME, MEMBERS);
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    /** A port per test: a member of the previous test may still hold its port in TIME_WAIT. */
    private final int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
    private final String cluster = JGroupsTestNodes.freshClusterName("dns");

    private JGroupsSessionStore member(int index) {
        return JGroupsTestNodes.open(cluster, "jgroupsStack", "dns", "jgroupsDnsQuery", NAME,
                "jgroupsDnsAddress", dns.address(), "jgroupsBindAddress", MEMBERS.get(index),
                "jgroupsBindPort", Integer.toString(port), "jgroupsPortRange", "0");
    }

    @Test
    void theServerListsTheMembers() throws Exception {
        assertThat(dns.addresses(NAME)).containsExactlyInAnyOrderElementsOf(MEMBERS);
    }

    @Test
    void threeMembersFindEachOtherThroughDnsAndShareSessions() {
        try (JGroupsSessionStore a = member(0); JGroupsSessionStore b = member(1); JGroupsSessionStore c = member(2)) {
            for (JGroupsSessionStore node : List.of(a, b, c)) {
                await(Duration.ofSeconds(20), () -> viewSize(node) == 3, "a view of 3 on " + node.channel().address());
            }
            assertThat(a.write(create("dns-session", "cart", "1"))).isEqualTo(WriteResult.written(1));
            assertThat(value(c.load("dns-session").orElseThrow(), "cart")).isEqualTo("1");
            assertThat(c.write(update("dns-session", "cart", "2"))).isEqualTo(WriteResult.written(2));
            assertThat(value(b.load("dns-session").orElseThrow(), "cart")).isEqualTo("2");
        }
    }

    @Test
    void aLateMemberJoinsAndAMemberThatLeavesIsDropped() {
        try (JGroupsSessionStore a = member(0); JGroupsSessionStore b = member(1)) {
            await(Duration.ofSeconds(20), () -> viewSize(a) == 2 && viewSize(b) == 2, "a view of 2");
            assertThat(a.write(create("before-join", "x", "early"))).isEqualTo(WriteResult.written(1));
            try (JGroupsSessionStore late = member(2)) {
                await(Duration.ofSeconds(20), () -> viewSize(a) == 3 && viewSize(late) == 3, "the late member joined");
                assertThat(value(late.load("before-join").orElseThrow(), "x")).isEqualTo("early");

                b.close();
                await(Duration.ofSeconds(20), () -> viewSize(a) == 2 && viewSize(late) == 2, "the view without b");
                assertThat(late.write(update("before-join", "x", "after-leave"))).isEqualTo(WriteResult.written(2));
                assertThat(value(a.load("before-join").orElseThrow(), "x")).isEqualTo("after-leave");
            }
        }
    }

    @Test
    void aCrashedMemberIsDroppedAndTheOthersKeepServing() {
        try (JGroupsSessionStore a = member(0); JGroupsSessionStore b = member(1); JGroupsSessionStore c = member(2)) {
            await(Duration.ofSeconds(20), () -> viewSize(a) == 3 && viewSize(b) == 3 && viewSize(c) == 3, "a view of 3");
            assertThat(c.write(create("crash-session", "x", "1"))).isEqualTo(WriteResult.written(1));

            JGroupsTestNodes.crash(c); // no goodbye: silent, then its sockets close

            await(Duration.ofSeconds(20), () -> viewSize(a) == 2 && viewSize(b) == 2, "the view without the crashed member");
            assertThat(value(a.load("crash-session").orElseThrow(), "x")).isEqualTo("1");
            assertThat(b.write(update("crash-session", "x", "2"))).isEqualTo(WriteResult.written(2));
            assertThat(value(a.load("crash-session").orElseThrow(), "x")).isEqualTo("2");
        }
    }
}
