package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionRecord;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local-copy registry: by base id across routes, and when a copy is let go. */
class LocalCopiesTest {

    private final ClusteredSessionManager manager = new ClusteredSessionManager();
    private final LocalCopies copies = manager.copies();

    private ClusteredSession loaded(String id) {
        ClusteredSession session = new ClusteredSession(manager);
        session.loadFrom(new SessionRecord(id.split("\\.")[0], 1, 1, 1, 60, Map.of()), Map.of(), Map.of(),
                AuthState.NONE);
        copies.register(session, id);
        return session;
    }

    @Test
    void aCopyIsFoundByItsBaseIdWhateverItsRoute() throws Exception {
        ClusteredSession session = loaded("ABC.nodeA");

        assertThat(copies.get("ABC")).isSameAs(session);
        assertThat(manager.findSession("ABC.nodeA")).as("Tomcat's map too").isSameAs(session);

        copies.register(session, "ABC.nodeB"); // a route rewrite after a takeover
        assertThat(copies.get("ABC")).isSameAs(session);
        assertThat(copies.size()).isEqualTo(1);
    }

    @Test
    void aReplacedCopyLeavingDoesNotTakeItsSuccessorWithIt() {
        ClusteredSession old = loaded("ABC.nodeA");
        ClusteredSession fresh = new ClusteredSession(manager);
        fresh.loadFrom(new SessionRecord("ABC", 2, 1, 1, 60, Map.of()), Map.of(), Map.of(), AuthState.NONE);
        copies.unregister(old);
        copies.register(fresh, "ABC.nodeA");

        copies.unregister(old); // a late second removal of the old object
        assertThat(copies.get("ABC")).isSameAs(fresh);
    }

    @Test
    void anIdleCopyEvictedElsewhereIsForgottenAndAnInUseOneOnlyMarkedStale() {
        ClusteredSession idle = loaded("AAA.nodeA");
        ClusteredSession busy = loaded("BBB.nodeA");
        busy.access(); // a request is using it

        copies.evictedElsewhere("AAA");
        copies.evictedElsewhere("BBB");
        copies.evictedElsewhere("CCC"); // not here: nothing happens

        assertThat(copies.get("AAA")).isNull();
        assertThat(idle.isStale()).isTrue();
        assertThat(idle.isUsable()).as("no listeners, not expired").isTrue();
        assertThat(copies.get("BBB")).isSameAs(busy);
        assertThat(busy.isStale()).isTrue();
    }

    @Test
    void aCopyWithUnsentChangesStaysWhenEvicted() {
        ClusteredSession session = loaded("AAA.nodeA");
        session.setMaxInactiveInterval(30); // a change not yet written

        copies.evictedElsewhere("AAA");

        assertThat(copies.get("AAA")).isSameAs(session);
        assertThat(session.isStale()).isTrue();
    }

    @Test
    void missedEvictionsMakeEveryCopyStale() {
        ClusteredSession a = loaded("AAA.nodeA");
        ClusteredSession b = loaded("BBB.nodeA");

        copies.markAllStale();

        assertThat(a.isStale()).isTrue();
        assertThat(b.isStale()).isTrue();
        assertThat(copies.size()).isEqualTo(2);
    }

    @Test
    void aDroppedCopyIsGoneAndNoLongerUsable() {
        ClusteredSession session = loaded("AAA.nodeA");

        copies.drop(session);

        assertThat(copies.get("AAA")).isNull();
        assertThat(session.isUsable()).isFalse();
    }
}
