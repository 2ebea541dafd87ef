package io.sessioncluster.tomcat;

import io.sessioncluster.core.store.SessionStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code locking=session} on each database, with embedded Tomcat nodes answering real HTTP: parallel in-place appends
 * of one session on three nodes lose nothing, and a dead holder's lock (a lease on the session row) ends with its
 * lease. The valve's side of waiting, 503s and fencing is the same for every store ({@link RedisLockingIT}).
 */
class JdbcLockingIT {

    @RegisterExtension
    final JdbcCluster cluster = new JdbcCluster();

    private List<TestNode> threeNodes(JdbcCluster.Db db, String... settings) {
        return List.of(node(db, "nodeA", settings), node(db, "nodeB", settings), node(db, "nodeC", settings));
    }

    private TestNode node(JdbcCluster.Db db, String name, String... settings) {
        String[] all = new String[settings.length + 2];
        all[0] = "sticky";
        all[1] = "false"; // locking=auto means session here
        System.arraycopy(settings, 0, all, 2, settings.length);
        return cluster.node(db, name, all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "h2"})
    void parallelInPlaceAppendsOfOneSessionOnThreeNodesLoseNothing(String database) throws Exception {
        List<TestNode> nodes = threeNodes(JdbcCluster.Db.named(database));

        LockingScenarios.Outcome outcome = LockingScenarios.appendInParallel(nodes, 2, 10, 3);

        outcome.assertNothingLost();
        assertThat(outcome.acknowledgedCount()).isEqualTo(60);
        assertThat(outcome.stored()).hasSize(61);
    }

    @Test
    void withoutTheLockTheSameAppendsLoseAcknowledgedValues() throws Exception {
        LockingScenarios.Outcome outcome = LockingScenarios.appendInParallel(
                threeNodes(JdbcCluster.Db.named("postgresql"), "locking", "none"), 2, 10, 3);

        System.out.printf("jdbc, locking=none: %d of %d acknowledged appends lost%n", outcome.lost(),
                outcome.acknowledgedCount());
        assertThat(outcome.lost()).isPositive();
    }

    @Test
    void theLockOfAHolderThatDiedEndsWithItsLease() {
        JdbcCluster.Db db = JdbcCluster.Db.named("postgresql");
        TestNode node = node(db, "nodeA");
        try (SessionStore deadNode = TestStores.open(cluster.settings(db))) {
            LockingScenarios.aDeadHoldersLockEndsWithItsLease(node, deadNode);
        }
    }
}
