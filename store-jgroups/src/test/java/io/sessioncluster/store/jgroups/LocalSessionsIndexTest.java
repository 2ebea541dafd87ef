package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexes one member keeps of the sessions it holds (by principal name, and in id order for the walk): every path
 * that changes a record moves them in the same step, and a name whose last session left leaves nothing behind.
 */
class LocalSessionsIndexTest {

    private static final long NOW = 1_000_000;

    private final LocalSessions local = new LocalSessions(60_000, () -> NOW, new LockTable(() -> 0));

    @Test
    void everyPathThatChangesARecordMovesItsIndexEntry() {
        local.put(LocalSessions.merged(null, change("a", true, PrincipalChange.to("alice")), 1));
        assertThat(local.applyDelta(change("b", true, PrincipalChange.to("alice")), 1, LockState.NONE)).isTrue();
        local.applyFull(new SessionRecord("c", 1, NOW, NOW, 60, Map.of(), "bob"), false, LockState.NONE);
        local.applyFull(new SessionRecord("d", 4, NOW, NOW, 60, Map.of(), "bob"), true, LockState.NONE);
        assertThat(names("alice")).containsExactlyInAnyOrder("a", "b");
        assertThat(names("bob")).containsExactlyInAnyOrder("c", "d");

        // Changes that do not name the principal keep it: an update, a touch, a lock state, an older full record.
        assertThat(local.applyDelta(change("a", false, PrincipalChange.UNCHANGED), 2, LockState.NONE)).isTrue();
        local.touch("a", NOW + 5);
        assertThat(local.applyLock("a", new LockState(1, 0, null), NOW + 6)).isTrue();
        local.applyFull(new SessionRecord("d", 3, NOW, NOW, 60, Map.of(), "mallory"), true, LockState.NONE);
        assertThat(local.get("a").orElseThrow().principal()).isEqualTo("alice");
        assertThat(names("alice")).containsExactlyInAnyOrder("a", "b");
        assertThat(names("mallory")).isEmpty();

        // A log-out, a login under another name, a newer full record from a state transfer.
        assertThat(local.applyDelta(change("b", false, PrincipalChange.CLEARED), 2, LockState.NONE)).isTrue();
        assertThat(local.applyDelta(change("a", false, PrincipalChange.to("bob")), 3, LockState.NONE)).isTrue();
        local.applyFull(new SessionRecord("c", 2, NOW, NOW, 60, Map.of(), "carol"), false, LockState.NONE);
        assertThat(names("alice")).isEmpty();
        assertThat(names("bob")).containsExactlyInAnyOrder("a", "d");
        assertThat(names("carol")).containsExactly("c");
        assertThat(local.get("b").orElseThrow().principal()).isNull();

        // Every way a session leaves this member: delete or claim, a rebalancing drop, a tombstone of a merge.
        local.remove("a");
        local.drop("d");
        local.tombstone("c", NOW + 10_000);
        assertThat(local.indexedNames()).isZero();
        assertThat(local.orderedIds()).isEqualTo(local.size()).isEqualTo(1);
    }

    @Test
    void aLookupChecksEachIdAgainstItsRecordItsExpiryAndTheCallersRule() {
        local.put(new SessionRecord("fresh", 1, NOW, NOW, 60, Map.of(), "alice"));
        local.put(new SessionRecord("old", 1, NOW - 120_000, NOW - 120_000, 60, Map.of(), "alice"));
        local.put(new SessionRecord("forever", 1, NOW - 120_000, NOW - 120_000, 0, Map.of(), "alice"));
        local.put(new SessionRecord("theirs", 1, NOW, NOW, 60, Map.of(), "alice"));

        assertThat(local.indexed("alice", NOW, id -> !id.equals("theirs"))).containsExactlyInAnyOrder("fresh", "forever");
        assertThat(local.indexed("alice", NOW + 60_000, id -> true)).containsExactly("forever");
        assertThat(local.indexed("bob", NOW, id -> true)).isEmpty();
    }

    @Test
    void slicesOfTheWalkFollowTheIdOrder() {
        for (String id : List.of("m", "c", "x", "a", "q")) {
            local.put(new SessionRecord(id, 1, NOW, NOW + id.charAt(0), 60, Map.of(), id.equals("q") ? "quinn" : null));
        }
        assertThat(local.inOrder(null, 2, id -> true)).extracting(SessionSummary::id).containsExactly("a", "c");
        assertThat(local.inOrder("c", 10, id -> true)).extracting(SessionSummary::id).containsExactly("m", "q", "x");
        assertThat(local.inOrder("b", 10, id -> !id.equals("m"))).extracting(SessionSummary::id)
                .containsExactly("c", "q", "x");
        SessionSummary q = local.inOrder("p", 1, id -> true).get(0);
        assertThat(q).usingRecursiveComparison().isEqualTo(new SessionSummary("q", NOW, NOW + 'q', 60, "quinn"));
        local.remove("c");
        assertThat(local.inOrder(null, 10, id -> true)).extracting(SessionSummary::id).containsExactly("a", "m", "q", "x");
    }

    @Test
    void concurrentChangesLeaveTheIndexesExactlyAsTheRecordsSay() throws Exception {
        List<String> names = List.of("alice", "bob", "carol");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                work.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 20_000; i++) {
                        String id = "s" + random.nextInt(40);
                        String name = random.nextInt(4) == 0 ? null : names.get(random.nextInt(names.size()));
                        long version = local.get(id).map(SessionRecord::version).orElse(0L) + 1;
                        switch (random.nextInt(5)) {
                            case 0 -> local.remove(id);
                            case 1 -> local.drop(id);
                            case 2 -> local.applyFull(new SessionRecord(id, version, NOW, NOW, 60, Map.of(), name),
                                    true, LockState.NONE);
                            case 3 -> local.touch(id, NOW + i);
                            default -> local.put(new SessionRecord(id, version, NOW, NOW, 60, Map.of(), name));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }

        Map<String, Set<String>> expected = new HashMap<>();
        for (SessionRecord r : local.all()) {
            if (r.principal() != null) {
                expected.computeIfAbsent(r.principal(), n -> new java.util.HashSet<>()).add(r.id());
            }
        }
        for (String name : names) {
            assertThat(local.indexedIds(name)).as(name).isEqualTo(expected.getOrDefault(name, Set.of()));
        }
        assertThat(local.indexedNames()).isEqualTo(expected.size());
        assertThat(local.orderedIds()).isEqualTo(local.size());
    }

    private Set<String> names(String name) {
        return local.indexedIds(name);
    }

    private static ChangeSet change(String id, boolean created, PrincipalChange principal) {
        return new ChangeSet(id, created, NOW, NOW, 60, Map.of("k", new byte[] {1}), Set.of(), principal);
    }
}
