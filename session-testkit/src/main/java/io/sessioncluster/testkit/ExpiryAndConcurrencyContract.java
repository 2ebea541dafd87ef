package io.sessioncluster.testkit;

import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expiry and concurrency rules of {@link SessionStore}: a session expires once, cluster-wide, by the
 * store's own access time; concurrent writes merge per attribute. Part of {@link SessionStoreContract}.
 */
public abstract class ExpiryAndConcurrencyContract extends EvictionContract {

    private static final int TIMEOUT = 1; // seconds: short, and explicit times below mean no sleeping

    @Test
    void claimIfExpiredAnswersAliveWithExpiryTimeWhileNotExpired() {
        String id = newId();
        create(id).maxInactive(TIMEOUT).set("a", "1").writeTo(store);

        assertThat(store.claimIfExpired(id, now + 999)).isEqualTo(new ExpiryClaim.Alive(now + 1000));
        assertThat(store.load(id)).isPresent();
    }

    @Test
    void claimIfExpiredClaimsTheLastStateExactlyOnce() {
        String id = newId();
        create(id).maxInactive(TIMEOUT).set("a", "1").set("b", "2").writeTo(store);
        update(id).maxInactive(TIMEOUT).at(now + 100).set("a", "3").remove("b").writeTo(store);

        ExpiryClaim claim = store.claimIfExpired(id, now + 1100);

        assertThat(claim).isEqualTo(new ExpiryClaim.Claimed(
                new SessionRecord(id, 2, now, now + 100, TIMEOUT, Map.of("a", bytes("3")))));
        assertThat(store.claimIfExpired(id, now + 1100)).isEqualTo(ExpiryClaim.GONE);
        assertThat(node().claimIfExpired(id, now + 5000)).isEqualTo(ExpiryClaim.GONE);
        assertThat(store.load(id)).isEmpty();
        assertThat(store.version(id)).isEmpty();
    }

    @Test
    void claimIfExpiredJudgesByTheStoresAccessTimeNotTheCallers() {
        String id = newId();
        create(id).maxInactive(TIMEOUT).writeTo(store);
        node().touch(List.of(new Touch(id, now + 800))); // another node served a request

        assertThat(store.claimIfExpired(id, now + 1500)).isEqualTo(new ExpiryClaim.Alive(now + 1800));
        assertThat(store.claimIfExpired(id, now + 1800)).isInstanceOf(ExpiryClaim.Claimed.class);
    }

    @ParameterizedTest(name = "maxInactiveSeconds={0}")
    @ValueSource(ints = {0, -1})
    void sessionsWithoutTimeoutNeverExpire(int maxInactive) {
        String id = newId();
        create(id).maxInactive(maxInactive).set("a", "1").writeTo(store);
        long farFuture = now + 10L * 365 * 24 * 3600 * 1000;

        assertThat(store.claimExpired(farFuture, 100)).isEmpty();
        assertThat(store.claimIfExpired(id, farFuture)).isEqualTo(new ExpiryClaim.Alive(Long.MAX_VALUE));
        assertThat(store.load(id)).get().extracting(SessionRecord::maxInactiveSeconds).isEqualTo(maxInactive);
    }

    @Test
    void changingTheTimeoutMovesASessionInAndOutOfTheSweep() {
        String expiring = newId();
        String immortal = newId();
        create(expiring).maxInactive(-1).writeTo(store);
        create(immortal).maxInactive(TIMEOUT).writeTo(store);
        update(expiring).maxInactive(TIMEOUT).writeTo(store);
        update(immortal).maxInactive(-1).writeTo(store);

        assertThat(store.claimExpired(now + 5000, 100)).extracting(SessionRecord::id).containsExactly(expiring);
        assertThat(store.claimIfExpired(immortal, now + 5000)).isEqualTo(new ExpiryClaim.Alive(Long.MAX_VALUE));
    }

    @Test
    void claimExpiredReturnsExpiredSessionsAndLeavesLiveOnes() {
        Set<String> expired = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String id = newId();
            create(id).maxInactive(TIMEOUT).set("n", Integer.toString(i)).writeTo(store);
            expired.add(id);
        }
        String live = newId();
        create(live).maxInactive(3600).writeTo(store);
        String touched = newId();
        create(touched).maxInactive(TIMEOUT).writeTo(store);
        store.touch(List.of(new Touch(touched, now + 900)));

        List<SessionRecord> claimed = store.claimExpired(now + 1500, 100);

        assertThat(claimed).extracting(SessionRecord::id).containsExactlyInAnyOrderElementsOf(expired);
        assertThat(claimed).allSatisfy(r -> assertThat(r.attributes()).containsKey("n"));
        assertThat(store.claimExpired(now + 1500, 100)).isEmpty();
        assertThat(store.load(live)).isPresent();
        assertThat(store.load(touched)).isPresent();
        assertThat(store.claimExpired(now + 1900, 100)).extracting(SessionRecord::id).containsExactly(touched);
    }

    @Test
    void claimExpiredHonoursTheLimit() {
        for (int i = 0; i < 5; i++) {
            create(newId()).maxInactive(TIMEOUT).writeTo(store);
        }
        assertThat(store.claimExpired(now + 1000, 2)).hasSize(2);
        assertThat(store.claimExpired(now + 1000, 2)).hasSize(2);
        assertThat(store.claimExpired(now + 1000, 2)).hasSize(1);
        assertThat(store.claimExpired(now + 1000, 2)).isEmpty();
    }

    @Test
    void movedSessionIsSweptUnderItsNewId() {
        String oldId = newId();
        String newId = newId();
        create(oldId).maxInactive(TIMEOUT).set("a", "1").writeTo(store);
        assertThat(store.changeId(oldId, newId)).isTrue();

        List<SessionRecord> claimed = store.claimExpired(now + 1500, 100);

        assertThat(claimed).extracting(SessionRecord::id).containsExactly(newId);
        assertThat(claimed.get(0).attributes()).containsOnlyKeys("a");
    }

    @Test
    void concurrentClaimExpiredCallersEachGetDistinctSessions() throws Exception {
        Set<String> expired = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String id = newId();
            create(id).maxInactive(TIMEOUT).writeTo(store);
            expired.add(id);
        }
        String live = newId();
        create(live).maxInactive(3600).writeTo(store);

        List<Callable<List<String>>> sweepers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SessionStore node = node();
            sweepers.add(() -> {
                List<String> mine = new ArrayList<>();
                for (List<SessionRecord> batch; !(batch = node.claimExpired(now + 1000, 3)).isEmpty(); ) {
                    batch.forEach(r -> mine.add(r.id()));
                }
                return mine;
            });
        }
        List<String> all = new ArrayList<>();
        runTogether(sweepers).forEach(all::addAll);
        // A sweeper may stop early when others took its candidates; whatever is left is claimed here.
        store.claimExpired(now + 1000, 100).forEach(r -> all.add(r.id()));

        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expired);
        assertThat(store.load(live)).isPresent();
    }

    @Test
    void concurrentClaimIfExpiredHasExactlyOneWinner() throws Exception {
        String id = newId();
        create(id).maxInactive(TIMEOUT).writeTo(store);
        List<Callable<ExpiryClaim>> claimers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SessionStore node = i % 2 == 0 ? store : node();
            claimers.add(() -> node.claimIfExpired(id, now + 2000));
        }

        List<ExpiryClaim> claims = runTogether(claimers);

        assertThat(claims).filteredOn(c -> c instanceof ExpiryClaim.Claimed).hasSize(1);
        assertThat(claims).filteredOn(c -> c instanceof ExpiryClaim.Gone).hasSize(7);
    }

    @Test
    void concurrentWritesToDifferentAttributesAllLand() throws Exception {
        String id = newId();
        createSession(id, Map.of());
        int threads = 8;
        int writesEach = 25;
        SessionStore otherNode = node();
        List<Callable<Void>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            SessionStore node = t % 2 == 0 ? store : otherNode;
            writers.add(() -> {
                for (int w = 0; w < writesEach; w++) {
                    assertThat(update(id).set("t" + thread + "-" + w, "v" + w).writeTo(node).status())
                            .isEqualTo(WriteResult.Status.WRITTEN);
                }
                return null;
            });
        }

        runTogether(writers);

        SessionRecord record = store.load(id).orElseThrow();
        assertThat(record.attributes()).hasSize(threads * writesEach);
        assertThat(record.version()).isEqualTo(1 + threads * writesEach);
        assertThat(store.version(id)).hasValue(1 + threads * writesEach);
    }

    @Test
    void concurrentWritesToOneAttributeEndWithOneOfTheValues() throws Exception {
        String id = newId();
        createSession(id, Map.of("other", bytes("kept")));
        List<Callable<Void>> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String value = "from-" + t;
            SessionStore node = node();
            writers.add(() -> {
                for (int w = 0; w < 10; w++) {
                    update(id).set("shared", value).writeTo(node);
                }
                return null;
            });
        }

        runTogether(writers);

        SessionRecord record = store.load(id).orElseThrow();
        assertThat(new String(record.attributes().get("shared"), StandardCharsets.UTF_8))
                .isIn("from-0", "from-1", "from-2", "from-3");
        assertThat(record.attributes().get("other")).isEqualTo(bytes("kept"));
        assertThat(record.version()).isEqualTo(41);
    }

    /** Starts every task at once and returns their results in order; fails instead of hanging. */
    protected static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
