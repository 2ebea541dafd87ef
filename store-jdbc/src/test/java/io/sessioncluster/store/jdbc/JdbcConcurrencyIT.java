package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads on several store instances ("nodes") fight over one session: creating, updating and removing the same
 * attribute, deleting while others create, renaming while others write, touching overlapping batches in different
 * orders, and sweeping while others touch. No call may fail (no duplicate-key error, no deadlock reaches the caller),
 * every outcome is one the SPI defines, and the tables stay consistent.
 */
@Timeout(120)
class JdbcConcurrencyIT {

    private static final int THREADS = 16;
    private static final int ROUNDS = 40;
    private static final TablePrefixes PREFIXES = new TablePrefixes("conc");

    private final List<SessionStore> nodes = new ArrayList<>();

    static List<TestDatabase> databases() {
        return List.of(TestDatabase.postgres(), TestDatabase.mariadb(), TestDatabase.h2());
    }

    private List<SessionStore> nodes(TestDatabase db, int count) {
        String prefix = PREFIXES.of(db);
        for (int i = 0; i < count; i++) {
            nodes.add(db.open(prefix));
        }
        return nodes;
    }

    @AfterEach
    void close() {
        nodes.forEach(SessionStore::close);
        nodes.clear();
    }

    @AfterAll
    static void dropTables() {
        PREFIXES.dropAll(databases());
    }

    /** The servers nodes share (H2 here is in-process memory: one JVM, no nodes starting on other hosts). */
    static List<TestDatabase> servers() {
        return List.of(TestDatabase.postgres(), TestDatabase.mariadb());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void nodesStartingTogetherAllCreateTheSchemaWithoutError(TestDatabase db) throws Exception {
        String prefix = TestDatabase.randomPrefix("race" + db.name());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<SessionStore>> opening = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                opening.add(pool.submit(() -> db.open(prefix)));
            }
            for (Future<SessionStore> store : opening) {
                nodes.add(store.get(60, TimeUnit.SECONDS)); // any error of a racing CREATE would surface here
            }
            assertThat(nodes).hasSize(6);
        } finally {
            pool.shutdownNow();
            nodes.forEach(SessionStore::close);
            nodes.clear();
            db.dropTables(prefix);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void settingAndRemovingOneAttributeFromManyThreadsNeverFails(TestDatabase db) throws Exception {
        List<SessionStore> stores = nodes(db, 4);
        String id = newId();
        assertThat(stores.get(0).write(change(id, true, Map.of("kept", "k"), Set.of()))).isEqualTo(WriteResult.written(1));
        AtomicInteger writes = new AtomicInteger();

        run(t -> {
            SessionStore store = stores.get(t % stores.size());
            for (int r = 0; r < ROUNDS; r++) {
                ChangeSet change = r % 3 == 2
                        ? change(id, false, Map.of(), Set.of("shared"))
                        : change(id, false, Map.of("shared", "t" + t + "r" + r, "own-" + t, "r" + r), Set.of());
                assertThat(store.write(change).status()).isEqualTo(WriteResult.Status.WRITTEN);
                writes.incrementAndGet();
            }
        });

        SessionRecord record = stores.get(0).load(id).orElseThrow();
        assertThat(record.version()).isEqualTo(1 + writes.get());
        assertThat(record.attributes()).containsKey("kept");
        for (int t = 0; t < THREADS; t++) {
            assertThat(record.attributes()).containsKey("own-" + t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void createUpdateAndDeleteRacingOnOneIdOnlyGiveDefinedOutcomes(TestDatabase db) throws Exception {
        List<SessionStore> stores = nodes(db, 4);
        List<String> ids = List.of(newId(), newId(), newId());
        Set<WriteResult.Status> seen = Collections.synchronizedSet(EnumSet.noneOf(WriteResult.Status.class));

        run(t -> {
            SessionStore store = stores.get(t % stores.size());
            for (int r = 0; r < ROUNDS; r++) {
                String id = ids.get((t + r) % ids.size());
                switch ((t + r) % 4) {
                    case 0 -> seen.add(store.write(change(id, true, Map.of("a", "c" + t, "b", "c"), Set.of())).status());
                    case 1 -> seen.add(store.write(change(id, false, Map.of("a", "u" + t), Set.of("b"))).status());
                    case 2 -> store.delete(id);
                    default -> store.load(id).ifPresent(rec -> assertThat(rec.version()).isPositive());
                }
            }
        });

        assertThat(seen).contains(WriteResult.Status.WRITTEN);
        assertNoOrphanAttributes(db);
        for (String id : ids) {
            stores.get(0).load(id).ifPresent(rec -> assertThat(rec.attributes()).containsKey("a"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void renamingWhileOthersWriteAndTouch(TestDatabase db) throws Exception {
        List<SessionStore> stores = nodes(db, 4);
        List<String> names = Collections.synchronizedList(new ArrayList<>(List.of(newId())));
        stores.get(0).write(change(names.get(0), true, Map.of("a", "1"), Set.of()));

        run(t -> {
            SessionStore store = stores.get(t % stores.size());
            for (int r = 0; r < ROUNDS / 2; r++) {
                String current = names.get(names.size() - 1);
                if (t == 0) {
                    String next = newId();
                    if (store.changeId(current, next)) {
                        names.add(next);
                    }
                } else if (t % 2 == 0) {
                    store.touch(List.of(new Touch(current, System.currentTimeMillis())));
                } else {
                    assertThat(store.write(change(current, false, Map.of("t" + t, "r" + r), Set.of())).status())
                            .isIn(WriteResult.Status.WRITTEN, WriteResult.Status.MISSING);
                }
            }
        });

        String last = names.get(names.size() - 1);
        assertThat(stores.get(1).load(last)).isPresent();
        for (String old : names.subList(0, names.size() - 1)) {
            assertThat(stores.get(1).load(old)).isEmpty();
        }
        assertNoOrphanAttributes(db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void overlappingTouchBatchesAndSweepsDoNotDeadlock(TestDatabase db) throws Exception {
        List<SessionStore> stores = nodes(db, 4);
        long now = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = newId();
            ids.add(id);
            stores.get(0).write(new ChangeSet(id, true, now, now - 10_000, 1, Map.of("a", bytes("x")), Set.of()));
        }
        Set<String> claimed = ConcurrentHashMap.newKeySet();

        run(t -> {
            SessionStore store = stores.get(t % stores.size());
            for (int r = 0; r < ROUNDS / 4; r++) {
                if (t % 4 == 0) {
                    store.claimExpired(System.currentTimeMillis(), 5).forEach(rec -> assertThat(claimed.add(rec.id())).isTrue());
                } else {
                    List<String> shuffled = new ArrayList<>(ids);
                    Collections.shuffle(shuffled);
                    List<Touch> batch = new ArrayList<>();
                    shuffled.forEach(id -> batch.add(new Touch(id, now - 10_000 + t)));
                    store.touch(batch);
                }
            }
        });

        for (SessionRecord rec : stores.get(0).claimExpired(System.currentTimeMillis(), 100)) {
            assertThat(claimed.add(rec.id())).isTrue();
        }
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(ids);
    }

    private void assertNoOrphanAttributes(TestDatabase db) throws Exception {
        String prefix = PREFIXES.used(db);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM " + prefix + "_attributes a WHERE NOT EXISTS"
                     + " (SELECT 1 FROM " + prefix + "_sessions s WHERE s.id = a.session_id)")) {
            rows.next();
            assertThat(rows.getLong(1)).isZero();
        }
    }

    interface Body {
        void run(int thread) throws Exception;
    }

    /** Runs the body on {@link #THREADS} threads started together; rethrows the first failure. */
    private static void run(Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<Void> task = () -> {
                    start.await();
                    body.run(thread);
                    return null;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Void> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static ChangeSet change(String id, boolean created, Map<String, String> set, Set<String> removed) {
        long now = System.currentTimeMillis();
        Map<String, byte[]> encoded = new HashMap<>();
        set.forEach((k, v) -> encoded.put(k, bytes(v)));
        return new ChangeSet(id, created, now, now, 1800, encoded, removed);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }
}
