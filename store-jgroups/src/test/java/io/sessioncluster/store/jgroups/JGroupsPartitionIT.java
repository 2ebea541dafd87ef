package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.testkit.EvictionRecorder;
import org.jgroups.protocols.DISCARD;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.create;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.update;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partition (DISCARD drops all traffic between two nodes, each side goes on alone) and its merge (MERGE3): the
 * newer version of each session wins, a session invalidated on one side stays invalidated (tombstone) although the
 * other side wrote it, the nodes are told that evictions may have been missed, and a session idle past its timeout
 * during the partition is expired on one side only: the side of its owner before the partition
 * ({@link PartitionGuard}). A member that said goodbye holds nothing back; a crashed one (indistinguishable from one
 * on the other side) holds the sessions it owned back for {@code tombstoneSeconds}.
 */
@Timeout(120)
class JGroupsPartitionIT {

    /** Every session of these tests is idle past its timeout (1800 s) by then. */
    private static final long AN_HOUR_LATER = Duration.ofHours(1).toMillis();

    private final List<JGroupsSessionStore> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(JGroupsSessionStore::close);
    }

    private JGroupsSessionStore node(String cluster, String... settings) {
        JGroupsSessionStore node = JGroupsTestNodes.open(cluster, settings);
        nodes.add(node);
        return node;
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void mergeKeepsTheNewerVersionAndNeverResurrectsADeletedSession(String replication) {
        String cluster = JGroupsTestNodes.freshClusterName("partition");
        JGroupsSessionStore a = node(cluster, "replication", replication);
        JGroupsSessionStore b = node(cluster, "replication", replication);
        EvictionRecorder onB = new EvictionRecorder();
        b.subscribeEvictions(onB);
        // One invalidated session whose owner is A, one whose owner is B: the tombstone wins in both directions.
        List<String> deleted = List.of(JGroupsTestNodes.ownedBy(a, "deleted", 1, nodes).get(0),
                JGroupsTestNodes.ownedBy(b, "deleted", 1, nodes).get(0));
        a.write(create("changed", "x", "0"));
        deleted.forEach(id -> a.write(create(id, "x", "0")));
        deleted.forEach(id -> assertThat(b.load(id)).isPresent());

        partition(a, b);

        // Each side goes on alone: A writes one session twice and invalidates the others; B writes every session,
        // the invalidated ones more often than A wrote anything (their version on B is the highest of all).
        assertThat(a.write(update("changed", "x", "a1"))).isEqualTo(WriteResult.written(2));
        assertThat(a.write(update("changed", "x", "a2"))).isEqualTo(WriteResult.written(3));
        deleted.forEach(id -> assertThat(a.delete(id)).isTrue());
        assertThat(b.write(update("changed", "x", "b1"))).isEqualTo(WriteResult.written(2));
        for (String id : deleted) {
            for (int v = 2; v <= 4; v++) {
                assertThat(b.write(update(id, "x", "b" + v))).isEqualTo(WriteResult.written(v));
            }
        }

        heal(a, b);
        JGroupsTestNodes.await(Duration.ofSeconds(10), () -> onB.missed.get() > 0, "missed evictions signalled");

        for (JGroupsSessionStore node : List.of(a, b)) {
            for (String id : deleted) {
                JGroupsTestNodes.await(Duration.ofSeconds(10), () -> node.load(id).isEmpty(), "deleted stays deleted");
                assertThat(node.version(id)).isEmpty();
            }
            SessionRecord changed = node.load("changed").orElseThrow();
            assertThat(changed.version()).isEqualTo(3);
            assertThat(value(changed, "x")).isEqualTo("a2");
        }
        for (String id : deleted) {
            assertThat(b.write(update(id, "x", "again"))).isEqualTo(WriteResult.missing());
            assertThat(b.claimIfExpired(id, System.currentTimeMillis() + AN_HOUR_LATER)).isEqualTo(ExpiryClaim.GONE);
            assertThat(b.load(id)).isEmpty();
        }
        assertThat(b.write(update("changed", "x", "merged"))).isEqualTo(WriteResult.written(4));
        assertThat(value(a.load("changed").orElseThrow(), "x")).isEqualTo("merged");
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void aSessionIdleDuringAPartitionExpiresOnceOnTheSideOfItsOwner(String replication) {
        String cluster = JGroupsTestNodes.freshClusterName("partition-expiry");
        JGroupsSessionStore a = node(cluster, "replication", replication);
        JGroupsSessionStore b = node(cluster, "replication", replication);
        List<String> ofA = JGroupsTestNodes.ownedBy(a, "idle-a", 3, nodes);
        List<String> ofB = JGroupsTestNodes.ownedBy(b, "idle-b", 3, nodes);
        List<String> all = new ArrayList<>(ofA);
        all.addAll(ofB);
        all.forEach(id -> assertThat(a.write(create(id, "x", "0"))).isEqualTo(WriteResult.written(1)));
        all.forEach(id -> assertThat(b.load(id)).isPresent()); // known on both sides

        partition(a, b);
        long later = System.currentTimeMillis() + AN_HOUR_LATER;

        // Both sides sweep (claimExpired) and ask for every session (claimIfExpired), in both orders.
        Set<String> claimedOnA = ids(a.claimExpired(later, 100));
        Set<String> claimedOnB = new HashSet<>();
        for (String id : all) {
            assertThat(a.claimIfExpired(id, later)).as("A, after its sweep").isEqualTo(ExpiryClaim.GONE);
            if (b.claimIfExpired(id, later) instanceof ExpiryClaim.Claimed c) {
                claimedOnB.add(c.record().id());
            }
        }
        claimedOnB.addAll(ids(b.claimExpired(later, 100)));
        assertThat(claimedOnA).containsExactlyInAnyOrderElementsOf(ofA);
        assertThat(claimedOnB).containsExactlyInAnyOrderElementsOf(ofB);
        // The side without the owner deleted nothing: the merge brings the owner's side's outcome.
        ofA.forEach(id -> assertThat(b.load(id)).isPresent());
        ofB.forEach(id -> assertThat(a.load(id)).isPresent());

        heal(a, b);
        for (JGroupsSessionStore node : List.of(a, b)) {
            for (String id : all) {
                JGroupsTestNodes.await(Duration.ofSeconds(10), () -> node.load(id).isEmpty(), "expired everywhere");
                assertThat(node.claimIfExpired(id, later)).isEqualTo(ExpiryClaim.GONE);
            }
            assertThat(node.claimExpired(later, 100)).isEmpty();
        }
    }

    @Test
    void aMemberThatSaysGoodbyeHoldsNoExpiryBackAndACrashedOneOnlyForTombstoneSeconds() {
        String cluster = JGroupsTestNodes.freshClusterName("partition-leave");
        JGroupsSessionStore a = node(cluster, "tombstoneSeconds", "3");
        JGroupsSessionStore b = node(cluster, "tombstoneSeconds", "3");
        JGroupsSessionStore c = node(cluster, "tombstoneSeconds", "3");
        List<String> ofB = JGroupsTestNodes.ownedBy(b, "left", 2, nodes);
        List<String> ofC = JGroupsTestNodes.ownedBy(c, "crashed", 2, nodes);
        ofB.forEach(id -> a.write(create(id, "x", "0")));
        ofC.forEach(id -> a.write(create(id, "x", "0")));

        b.close();
        nodes.remove(b);
        JGroupsTestNodes.await(Duration.ofSeconds(20), () -> JGroupsTestNodes.viewSize(a) == 2, "B gone");
        long later = System.currentTimeMillis() + AN_HOUR_LATER;
        ofB.forEach(id -> assertThat(a.claimIfExpired(id, later)).isInstanceOf(ExpiryClaim.Claimed.class));

        JGroupsTestNodes.crash(c);
        nodes.remove(c);
        JGroupsTestNodes.await(Duration.ofSeconds(20), () -> JGroupsTestNodes.viewSize(a) == 1, "C gone");
        long crashNoticed = System.nanoTime();
        // C may as well be on the other side of a partition, expiring them there: held back, not served.
        ofC.forEach(id -> assertThat(a.claimIfExpired(id, later)).isEqualTo(ExpiryClaim.GONE));
        assertThat(a.claimExpired(later, 100)).isEmpty();
        ofC.forEach(id -> assertThat(a.load(id)).isPresent());

        Set<String> claimed = new HashSet<>();
        JGroupsTestNodes.await(Duration.ofSeconds(15), () -> {
            claimed.addAll(ids(a.claimExpired(later, 100)));
            return claimed.size() == ofC.size();
        }, "C taken for crashed after tombstoneSeconds");
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(ofC);
        assertThat(Duration.ofNanos(System.nanoTime() - crashNoticed)).isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
    }

    private static Set<String> ids(List<SessionRecord> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(r.id()));
        return ids;
    }

    private static void partition(JGroupsSessionStore a, JGroupsSessionStore b) {
        JGroupsTestNodes.discard(a).addIgnoreMember(b.channel().address());
        JGroupsTestNodes.discard(b).addIgnoreMember(a.channel().address());
        JGroupsTestNodes.await(Duration.ofSeconds(20),
                () -> JGroupsTestNodes.viewSize(a) == 1 && JGroupsTestNodes.viewSize(b) == 1, "the partition");
    }

    private static void heal(JGroupsSessionStore a, JGroupsSessionStore b) {
        for (JGroupsSessionStore node : List.of(a, b)) {
            DISCARD discard = JGroupsTestNodes.discard(node);
            discard.resetIgnoredMembers();
        }
        JGroupsTestNodes.await(Duration.ofSeconds(30),
                () -> JGroupsTestNodes.viewSize(a) == 2 && JGroupsTestNodes.viewSize(b) == 2, "the merge");
    }
}
