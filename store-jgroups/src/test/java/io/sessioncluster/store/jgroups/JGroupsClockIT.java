package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.store.StoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cluster's clock ({@link ClusterClock}) on real channels: every member reads the coordinator's clock, even one
 * minutes off this machine's; when the coordinator leaves, the next one's; a coordinator that does not answer fails
 * the read within the timeout.
 */
@Timeout(60)
class JGroupsClockIT {

    private static final long SHIFT = Duration.ofMinutes(5).toMillis();

    private final List<JGroupsSessionStore> nodes = new ArrayList<>();
    private final String cluster = JGroupsTestNodes.freshClusterName("clock");

    @AfterEach
    void closeNodes() {
        nodes.forEach(JGroupsSessionStore::close);
    }

    @Test
    void everyMemberReadsTheCoordinatorsClockAndThenTheNextCoordinators() {
        JGroupsSessionStore coordinator = JGroupsTestNodes.open(cluster, () -> System.currentTimeMillis() + SHIFT);
        nodes.add(coordinator);
        JGroupsSessionStore other = JGroupsTestNodes.open(cluster);
        nodes.add(other);
        assertThat(other.channel().getView().getCoord()).isEqualTo(coordinator.channel().address());

        long before = System.currentTimeMillis();
        long read = other.storeTimeMillis();
        long own = coordinator.storeTimeMillis(); // read in its own JVM
        long after = System.currentTimeMillis();
        assertThat(read).isBetween(before + SHIFT, after + SHIFT);
        assertThat(own).isBetween(before + SHIFT, after + SHIFT);

        coordinator.close();
        nodes.remove(coordinator);
        JGroupsTestNodes.await(Duration.ofSeconds(20), () -> JGroupsTestNodes.viewSize(other) == 1,
                "the coordinator gone");
        long since = System.currentTimeMillis();
        assertThat(other.storeTimeMillis()).isBetween(since, System.currentTimeMillis()); // now its own: unshifted
    }

    @Test
    void aCoordinatorThatDoesNotAnswerFailsTheReadWithinTheTimeout() {
        JGroupsSessionStore coordinator = JGroupsTestNodes.open(cluster);
        nodes.add(coordinator);
        // The timeout also bounds the join's state transfer: 300 ms failed that once on a loaded machine; 1 s is
        // still well inside failure detection (2 s), so the coordinator is silent, not gone, when TIME is asked.
        JGroupsSessionStore other = JGroupsTestNodes.open(cluster, "jgroupsTimeoutMillis", "1000");
        nodes.add(other);

        JGroupsTestNodes.discard(coordinator).discardAll(true); // silent, long before failure detection notices
        long started = System.nanoTime();
        assertThatThrownBy(other::storeTimeMillis).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("did not answer TIME within 1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_900));
    }
}
