package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PendingWriteTest {

    private final ClusteredSession session = new ClusteredSession(new ClusteredSessionManager());

    @Test
    void laterChangesWinWhenWritesOfOneSessionAreCoalesced() {
        PendingWrite first = write(true, 100, Map.of("a", bytes(1), "b", bytes(2)), Set.of("c"));
        PendingWrite second = write(false, 200, Map.of("c", bytes(3)), Set.of("a"));
        PendingWrite merged = first.then(second);

        ChangeSet changes = merged.changes();
        assertThat(changes.created()).isTrue();
        assertThat(changes.lastAccessedTime()).isEqualTo(200);
        assertThat(changes.setAttributes()).containsOnlyKeys("b", "c");
        assertThat(changes.setAttributes().get("c")).containsExactly(3);
        assertThat(changes.removedAttributes()).containsExactly("a");
        assertThat(merged.taken().set()).containsExactlyInAnyOrder("b", "c");
        assertThat(merged.taken().removed()).containsExactly("a");
        assertThat(merged.taken().created()).isTrue();
    }

    @Test
    void aFailedWriteGivesItsMarksBackWithoutOverridingNewerOnes() {
        PendingWrite failed = write(true, 1, Map.of("a", bytes(1), "b", bytes(2)), Set.of("c"));
        session.restoreChanges(failed.taken());
        SessionChanges again = session.takeChanges();
        assertThat(again.set()).containsExactlyInAnyOrder("a", "b");
        assertThat(again.removed()).containsExactly("c");
        assertThat(again.created()).isTrue();
        assertThat(session.hasUnsentChanges()).isFalse();
    }

    private PendingWrite write(boolean created, long accessed, Map<String, byte[]> set, Set<String> removed) {
        ChangeSet changes = new ChangeSet("ID1", created, 1, accessed, 60, set, removed);
        return new PendingWrite(session, changes, new SessionChanges(set.keySet(), removed, created, false));
    }

    private static byte[] bytes(int value) {
        return new byte[] {(byte) value};
    }
}
