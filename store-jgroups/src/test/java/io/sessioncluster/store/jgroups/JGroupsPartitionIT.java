package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.testkit.EvictionRecorder;
import org.jgroups.protocols.DISCARD;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.create;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.update;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partition (DISCARD drops all traffic between two nodes, each side goes on alone) and its merge (MERGE3): the
 * newer version of each session wins, a session invalidated on one side stays invalidated (tombstone), and the
 * nodes are told that evictions may have been missed.
 */
@Timeout(120)
class JGroupsPartitionIT {

    private final List<JGroupsSessionStore> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(JGroupsSessionStore::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void mergeKeepsTheNewerVersionAndNeverResurrectsADeletedSession(String replication) {
        String cluster = JGroupsTestNodes.freshClusterName("partition");
        JGroupsSessionStore a = JGroupsTestNodes.open(cluster, "replication", replication);
        nodes.add(a);
        JGroupsSessionStore b = JGroupsTestNodes.open(cluster, "replication", replication);
        nodes.add(b);
        EvictionRecorder onB = new EvictionRecorder();
        b.subscribeEvictions(onB);
        a.write(create("changed", "x", "0"));
        a.write(create("deleted", "x", "0"));
        assertThat(b.load("deleted")).isPresent();

        partition(a, b);
        JGroupsTestNodes.await(Duration.ofSeconds(20),
                () -> JGroupsTestNodes.viewSize(a) == 1 && JGroupsTestNodes.viewSize(b) == 1, "the partition");

        // Each side goes on alone: A writes the session twice and invalidates the other; B writes both once.
        assertThat(a.write(update("changed", "x", "a1"))).isEqualTo(WriteResult.written(2));
        assertThat(a.write(update("changed", "x", "a2"))).isEqualTo(WriteResult.written(3));
        assertThat(a.delete("deleted")).isTrue();
        assertThat(b.write(update("changed", "x", "b1"))).isEqualTo(WriteResult.written(2));
        assertThat(b.write(update("deleted", "x", "b1"))).isEqualTo(WriteResult.written(2));

        heal(a, b);
        JGroupsTestNodes.await(Duration.ofSeconds(30),
                () -> JGroupsTestNodes.viewSize(a) == 2 && JGroupsTestNodes.viewSize(b) == 2, "the merge");
        JGroupsTestNodes.await(Duration.ofSeconds(10), () -> onB.missed.get() > 0, "missed evictions signalled");

        for (JGroupsSessionStore node : List.of(a, b)) {
            JGroupsTestNodes.await(Duration.ofSeconds(10), () -> node.load("deleted").isEmpty(), "deleted stays deleted");
            SessionRecord changed = node.load("changed").orElseThrow();
            assertThat(changed.version()).isEqualTo(3);
            assertThat(value(changed, "x")).isEqualTo("a2");
        }
        assertThat(b.write(update("deleted", "x", "again"))).isEqualTo(WriteResult.missing());
        assertThat(b.write(update("changed", "x", "merged"))).isEqualTo(WriteResult.written(4));
        assertThat(value(a.load("changed").orElseThrow(), "x")).isEqualTo("merged");
    }

    private static void partition(JGroupsSessionStore a, JGroupsSessionStore b) {
        JGroupsTestNodes.discard(a).addIgnoreMember(b.channel().address());
        JGroupsTestNodes.discard(b).addIgnoreMember(a.channel().address());
    }

    private static void heal(JGroupsSessionStore a, JGroupsSessionStore b) {
        for (JGroupsSessionStore node : List.of(a, b)) {
            DISCARD discard = JGroupsTestNodes.discard(node);
            discard.resetIgnoredMembers();
        }
    }
}
