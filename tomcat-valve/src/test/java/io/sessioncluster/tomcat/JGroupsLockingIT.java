package io.sessioncluster.tomcat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code locking=session} on JGroups, with three embedded Tomcat nodes answering real HTTP: the session's owner
 * grants the lock, so parallel in-place appends of one session on three nodes lose nothing, in both replication
 * modes.
 */
class JGroupsLockingIT {

    private final String cluster = JGroupsNodes.freshCluster();
    private final List<TestNode> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(TestNode::close);
    }

    private List<TestNode> threeNodes(String replication, String... settings) {
        List<TestNode> nodes = new ArrayList<>();
        for (String name : List.of("nodeA", "nodeB", "nodeC")) {
            List<String> all = new ArrayList<>(List.of("replication", replication, "sticky", "false"));
            all.addAll(List.of(settings));
            TestNode node = TestNode.named(name).settings(JGroupsNodes.settings(cluster, all.toArray(String[]::new)))
                    .start();
            started.add(node);
            nodes.add(node);
        }
        return nodes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void parallelInPlaceAppendsOfOneSessionOnThreeNodesLoseNothing(String replication) throws Exception {
        List<TestNode> nodes = threeNodes(replication);

        LockingScenarios.Outcome outcome = LockingScenarios.appendInParallel(nodes, 2, 10, 3);

        outcome.assertNothingLost();
        assertThat(outcome.acknowledgedCount()).isEqualTo(60);
        assertThat(outcome.stored()).hasSize(61);
    }

    @ParameterizedTest
    @ValueSource(strings = {"primary-backup"})
    void withoutTheLockTheSameAppendsLoseAcknowledgedValues(String replication) throws Exception {
        LockingScenarios.Outcome outcome = LockingScenarios.appendInParallel(threeNodes(replication, "locking", "none"),
                2, 10, 3);

        System.out.printf("jgroups %s, locking=none: %d of %d acknowledged appends lost%n", replication,
                outcome.lost(), outcome.acknowledgedCount());
        assertThat(outcome.lost()).isPositive();
    }
}
