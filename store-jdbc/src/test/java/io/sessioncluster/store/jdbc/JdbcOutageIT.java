package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database goes away behind a {@link DatabaseProxy} (the real server keeps running): operations fail with
 * {@link StoreUnavailableException} and a clear message, never anything else and never a hang; once it is back the
 * pool replaces its dead connections and requests resume without losing an acknowledged write.
 */
@Timeout(120)
class JdbcOutageIT {

    private static final TablePrefixes PREFIXES = new TablePrefixes("out");

    static List<TestDatabase> databases() {
        return List.of(TestDatabase.postgres(), TestDatabase.mariadb());
    }

    private static SessionStore openVia(TestDatabase db, DatabaseProxy proxy) {
        return openVia(db, proxy, 1000);
    }

    private static SessionStore openVia(TestDatabase db, DatabaseProxy proxy, int timeoutMillis) {
        String prefix = PREFIXES.of(db, p -> db.open(p).close()); // tables created directly, not through the proxy
        Map<String, String> raw = db.settings(prefix);
        raw.put("jdbcUrl", db.urlVia(proxy.port()));
        raw.put("jdbcTimeoutMillis", Integer.toString(timeoutMillis));
        raw.put("createSchema", "false");
        return TestDatabase.open(raw);
    }

    @AfterAll
    static void dropTables() {
        PREFIXES.dropAll(databases());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void databaseRestartedMidLoadThePoolRecoversAndNoAcknowledgedWriteIsLost(TestDatabase db) throws Exception {
        try (DatabaseProxy proxy = new DatabaseProxy(db.host(), db.port()); SessionStore store = openVia(db, proxy)) {
            int writers = 4;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                ids.add(newId());
                assertThat(store.write(change(ids.get(i), true, 0)).status()).isEqualTo(WriteResult.Status.WRITTEN);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger unavailable = new AtomicInteger();
            AtomicInteger afterRestore = new AtomicInteger();
            AtomicBoolean restored = new AtomicBoolean();
            int[] lastAcknowledged = new int[writers];
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int n = 1; !stop.get(); n++) {
                        try {
                            WriteResult result = store.write(change(ids.get(writer), false, n));
                            assertThat(result.status()).isEqualTo(WriteResult.Status.WRITTEN);
                            lastAcknowledged[writer] = n;
                            if (restored.get()) {
                                afterRestore.incrementAndGet();
                            }
                        } catch (StoreUnavailableException e) {
                            unavailable.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            awaitCount(() -> lastAcknowledged[0] > 20);
            proxy.cut();
            awaitCount(() -> unavailable.get() >= writers);
            proxy.restore();
            restored.set(true);
            awaitCount(() -> afterRestore.get() >= 50);
            stop.set(true);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS); // rethrows any exception other than unavailable
            }
            pool.shutdown();

            for (int w = 0; w < writers; w++) {
                SessionRecord record = store.load(ids.get(w)).orElseThrow();
                int stored = Integer.parseInt(new String(record.attributes().get("n"), StandardCharsets.UTF_8));
                // a write whose answer was lost in the cut may have committed: stored >= acknowledged, never less
                assertThat(stored).isGreaterThanOrEqualTo(lastAcknowledged[w]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void databaseDownEveryOperationFailsAsUnavailableWithAClearMessageThenRecovers(TestDatabase db) {
        try (DatabaseProxy proxy = new DatabaseProxy(db.host(), db.port()); SessionStore store = openVia(db, proxy, 400)) {
            String id = newId();
            store.write(change(id, true, 0));
            proxy.cut();

            assertUnavailable(() -> store.load(id), id);
            assertUnavailable(() -> store.version(id), id);
            assertUnavailable(() -> store.write(change(id, false, 1)), id);
            assertUnavailable(() -> store.write(change(id, false, 1), new Fence(1, true)), id);
            assertUnavailable(() -> store.lock(id, 10_000), id);
            assertUnavailable(() -> store.renewLock(id, 1, 10_000), id);
            assertUnavailable(() -> store.unlock(id, 1, new Touch(id, System.currentTimeMillis())), id);
            assertUnavailable(() -> store.touch(List.of(new Touch(id, System.currentTimeMillis()))), id);
            assertUnavailable(() -> store.delete(id), id);
            assertUnavailable(() -> store.changeId(id, newId()), id);
            assertUnavailable(() -> store.claimIfExpired(id, System.currentTimeMillis()), id);
            assertUnavailable(() -> store.claimExpired(System.currentTimeMillis(), 10), id);
            store.announceEviction(id); // best effort: never throws

            proxy.restore();
            awaitCount(() -> {
                try {
                    return store.write(change(id, false, 2)).status() == WriteResult.Status.WRITTEN;
                } catch (StoreUnavailableException e) {
                    return false;
                }
            });
            assertThat(store.load(id)).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void openingWhileTheDatabaseIsDownFailsAsUnavailable(TestDatabase db) {
        try (DatabaseProxy proxy = new DatabaseProxy(db.host(), db.port())) {
            proxy.cut();
            assertThatThrownBy(() -> openVia(db, proxy).close())
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("open failed: the database is unavailable or did not answer within jdbcTimeoutMillis");
            proxy.restore();
            openVia(db, proxy).close(); // the Manager retries the open on use, as here
        }
    }

    private static void assertUnavailable(Runnable operation, String id) {
        assertThatThrownBy(operation::run)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("the database is unavailable or did not answer within jdbcTimeoutMillis")
                .hasMessageNotContaining(id);
    }

    private static void awaitCount(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within 60 s").isNegative();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static ChangeSet change(String id, boolean created, int n) {
        long now = System.currentTimeMillis();
        return new ChangeSet(id, created, now, now, 1800,
                Map.of("n", Integer.toString(n).getBytes(StandardCharsets.UTF_8)), Set.of());
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
