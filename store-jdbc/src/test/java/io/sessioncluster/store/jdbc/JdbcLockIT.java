package io.sessioncluster.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the shared {@code LockingContract} cannot see of the JDBC store's locks: tables of the previous schema (no
 * lock columns) gain them on open and keep their sessions; leases are measured by the database's clock, not the
 * JVM's; damaged lock columns are reported, never granted; and what each lock operation sends.
 */
@Timeout(120)
class JdbcLockIT {

    private static final TablePrefixes PREFIXES = new TablePrefixes("lock");
    private static final TablePrefixes UPGRADED = new TablePrefixes("upgr");
    private static final TablePrefixes RACED = new TablePrefixes("race");
    private static final long LEASE = 60_000;

    static List<TestDatabase> databases() {
        return List.of(TestDatabase.postgres(), TestDatabase.mariadb(), TestDatabase.h2());
    }

    /**
     * The servers, which nodes on several hosts share and whose clock a test can set per connection. H2 is left out:
     * in process, its clock is this JVM's, and its ALTER TABLE (a copy of the table) does not bear concurrent DDL.
     */
    static List<TestDatabase> servers() {
        return List.of(TestDatabase.postgres(), TestDatabase.mariadb());
    }

    @AfterAll
    static void dropTables() {
        for (TablePrefixes prefixes : List.of(PREFIXES, UPGRADED, RACED)) {
            prefixes.dropAll(databases());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aTableOfThePreviousSchemaGainsTheLockColumnsOnOpenAndKeepsItsSessions(TestDatabase db) throws Exception {
        String prefix = previousSchema(db, UPGRADED);
        String id = newId();
        insertAsThePreviousVersion(db, prefix, id, 3, "cart", "three items");

        Map<String, String> raw = db.settings(prefix);
        raw.put("createSchema", "false");
        assertThatThrownBy(() -> TestDatabase.open(raw).close())
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("table [" + prefix + "_sessions] was created by an earlier version")
                .hasMessageContaining("ALTER TABLE " + prefix + "_sessions ADD COLUMN lock_token BIGINT NOT NULL DEFAULT 0;"
                        + " ALTER TABLE " + prefix + "_sessions ADD COLUMN lease_end BIGINT")
                .hasMessageContaining("or set createSchema=\"true\"");

        try (SessionStore store = db.open(prefix)) {
            SessionRecord record = store.load(id).orElseThrow();
            assertThat(record.version()).isEqualTo(3);
            assertThat(record.attributes().get("cart")).isEqualTo(bytes("three items"));

            LockAttempt attempt = store.lock(id, LEASE);
            assertThat(attempt).isEqualTo(new LockAttempt.Granted(1, 3));
            assertThat(store.write(update(id, "cart", "four items"), new Fence(1, true))).isEqualTo(WriteResult.written(4));
            assertThat(store.lock(id, LEASE)).isEqualTo(new LockAttempt.Granted(2, 4));
        }
        raw.put("createSchema", "false");
        TestDatabase.open(raw).close(); // upgraded once, for every later open
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void nodesStartingTogetherOnAnOldTableAllUpgradeIt(TestDatabase db) throws Exception {
        String prefix = previousSchema(db, RACED);
        String id = newId();
        insertAsThePreviousVersion(db, prefix, id, 1, "a", "1");
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<SessionStore> opened = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<SessionStore>> opening = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                opening.add(pool.submit(() -> {
                    start.await();
                    return db.open(prefix);
                }));
            }
            start.countDown();
            for (Future<SessionStore> node : opening) {
                opened.add(node.get());
            }
            assertThat(opened.get(0).lock(id, LEASE)).isEqualTo(new LockAttempt.Granted(1, 1));
            assertThat(opened.get(1).lock(id, LEASE)).isInstanceOf(LockAttempt.Held.class);
        } finally {
            opened.forEach(SessionStore::close);
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void leasesAreMeasuredByTheDatabaseClockNotTheJvms(TestDatabase db) throws Exception {
        String prefix = PREFIXES.of(db, p -> db.open(p).close());
        // The database's clock, per connection, an hour behind this JVM's and standing still: a store that asked
        // the JVM would find every lease below long over.
        long frozen = (System.currentTimeMillis() - 3_600_000) / 1000 * 1000;
        String id = newId();
        try (SessionStore real = db.open(prefix)) {
            real.write(new ChangeSet(id, true, frozen, frozen, 1800, Map.of(), Set.of()));
        }
        try (FrozenClock clock = FrozenClock.of(db, prefix)) {
            SessionStore atGrant = clock.store(frozen);
            long token = ((LockAttempt.Granted) atGrant.lock(id, LEASE)).token();
            assertThat(leaseEnd(db, prefix, id)).isEqualTo(frozen + LEASE);
            assertThat(atGrant.lock(id, LEASE)).isEqualTo(new LockAttempt.Held(LEASE));

            assertThat(clock.store(frozen + 10_000).renewLock(id, token, LEASE)).isTrue();
            assertThat(leaseEnd(db, prefix, id)).isEqualTo(frozen + 10_000 + LEASE);
            assertThat(clock.store(frozen + 10_000 + LEASE - 1).lock(id, LEASE)).isEqualTo(new LockAttempt.Held(1));

            LockAttempt after = clock.store(frozen + 10_000 + LEASE).lock(id, 5_000);
            assertThat(after).isEqualTo(new LockAttempt.Granted(token + 1, 1));
            assertThat(leaseEnd(db, prefix, id)).isEqualTo(frozen + 10_000 + LEASE + 5_000);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void damagedLockColumnsAreReportedWithARedactedIdAndNeverGranted(TestDatabase db) throws Exception {
        String prefix = PREFIXES.of(db, p -> db.open(p).close());
        try (SessionStore store = db.open(prefix)) {
            String badToken = damaged(db, prefix, store, "lock_token = -5");
            assertCorrupt(() -> store.lock(badToken, LEASE), badToken, "has an invalid lock token [-5]");
            assertCorrupt(() -> store.write(update(badToken, "a", "x"), new Fence(1, true)), badToken,
                    "has an invalid lock token [-5]");
            assertThat(lockColumns(db, prefix, badToken)).isEqualTo("-5/null");
            assertThat(store.load(badToken).orElseThrow().version()).isEqualTo(1);

            String badLease = damaged(db, prefix, store, "lease_end = -1");
            assertCorrupt(() -> store.lock(badLease, LEASE), badLease, "has an invalid lease end [-1]");
            assertThat(lockColumns(db, prefix, badLease)).isEqualTo("0/-1");

            String badVersion = damaged(db, prefix, store, "version = 0");
            assertCorrupt(() -> store.lock(badVersion, LEASE), badVersion, "has an invalid version [0]");
            assertThat(lockColumns(db, prefix, badVersion)).isEqualTo("0/null");

            String exhausted = damaged(db, prefix, store, "lock_token = " + Long.MAX_VALUE);
            assertThatThrownBy(() -> store.lock(exhausted, LEASE))
                    .isInstanceOf(StoreException.class)
                    .isNotInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("lock of session " + SessionIds.redact(exhausted) + " failed")
                    .hasMessageNotContaining(exhausted);
            assertThat(lockColumns(db, prefix, exhausted)).isEqualTo(Long.MAX_VALUE + "/null");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void eachLockOperationIsOneAutocommittedStatementExceptWhereItMustRead(TestDatabase db) {
        String prefix = PREFIXES.of(db, p -> db.open(p).close());
        try (HikariDataSource pool = DataSources.pool(db.url(), db.user(), db.password(), 2, 5000, "/lock-cost")) {
            CountingDataSource counting = new CountingDataSource(pool);
            SessionStore store = JdbcSessionStoreProvider.open(counting.dataSource(), () -> { }, DialectChoice.AUTO,
                    new Tables(prefix), false, 5000, 1000);
            String id = newId();
            store.write(new ChangeSet(id, true, 1, 1, 1800, Map.of(), Set.of()));

            counting.reset();
            long token = ((LockAttempt.Granted) store.lock(id, LEASE)).token();
            assertThat(counting.executions.get()).as("grant: statements").isEqualTo(db.name().equals("mariadb") ? 2 : 1);
            assertThat(counting.commits.get()).as("grant: commits").isZero();
            assertSent(counting, "held", () -> store.lock(id, LEASE), 2, 0);
            assertSent(counting, "renew", () -> store.renewLock(id, token, LEASE), 1, 0);
            assertSent(counting, "unlock with a touch", () -> store.unlock(id, token, new Touch(id, 5)), 1, 0);
            assertThat(store.load(id).orElseThrow().lastAccessedTime()).isEqualTo(5);

            long next = ((LockAttempt.Granted) store.lock(id, LEASE)).token();
            int write = db.name().equals("postgresql") ? 1 : 2; // the session row; no attribute changes
            assertSent(counting, "write that releases",
                    () -> store.write(new ChangeSet(id, false, 1, 6, 1800, Map.of(), Set.of()), new Fence(next, true)),
                    write, 1);
            assertSent(counting, "fenced write", () -> assertThat(store.write(
                    new ChangeSet(id, false, 1, 7, 1800, Map.of(), Set.of()), new Fence(token, false)))
                    .isEqualTo(WriteResult.fenced()), 2, 1);
            store.close();
        }
    }

    private static void assertSent(CountingDataSource counting, String what, Runnable operation, int statements,
                                   int commits) {
        counting.reset();
        operation.run();
        assertThat(counting.executions.get()).as(what + ": statements").isEqualTo(statements);
        assertThat(counting.commits.get()).as(what + ": commits").isEqualTo(commits);
    }

    /**
     * Fresh tables as the version before the locks left them: the same, without the lock columns, nor the principal
     * column and its index that came later.
     */
    private static String previousSchema(TestDatabase db, TablePrefixes prefixes) {
        return prefixes.of(db, prefix -> {
            db.open(prefix).close();
            db.dropPrincipalColumn(prefix);
            db.execute("ALTER TABLE " + prefix + "_sessions DROP COLUMN lease_end",
                    "ALTER TABLE " + prefix + "_sessions DROP COLUMN lock_token");
        });
    }

    /** The statements of the previous version's create: the lock columns unnamed. */
    private static void insertAsThePreviousVersion(TestDatabase db, String prefix, String id, long version,
                                                   String name, String value) throws Exception {
        long now = System.currentTimeMillis();
        try (Connection c = db.connect()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + prefix + "_sessions"
                    + " (id, version, creation_time, last_access, max_inactive, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setLong(2, version);
                s.setLong(3, now);
                s.setLong(4, now);
                s.setInt(5, 1800);
                s.setLong(6, now + 1_800_000);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + prefix + "_attributes"
                    + " (session_id, name, content) VALUES (?, ?, ?)")) {
                s.setString(1, id);
                s.setBytes(2, bytes(name));
                s.setBytes(3, bytes(value));
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
    }

    /** A new session whose row was then changed by {@code set}, as something other than the store might. */
    private static String damaged(TestDatabase db, String prefix, SessionStore store, String set) {
        String id = newId();
        store.write(new ChangeSet(id, true, 1, 1, 1800, Map.of("a", bytes("1")), Set.of()));
        db.execute("UPDATE " + prefix + "_sessions SET " + set + " WHERE id = '" + id + "'");
        return id;
    }

    private static void assertCorrupt(Runnable operation, String id, String problem) {
        assertThatThrownBy(operation::run)
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(StoreUnavailableException.class)
                .hasMessage("session " + SessionIds.redact(id) + " " + problem);
    }

    private static long leaseEnd(TestDatabase db, String prefix, String id) throws Exception {
        String columns = lockColumns(db, prefix, id);
        return Long.parseLong(columns.substring(columns.indexOf('/') + 1));
    }

    /** {@code lock_token/lease_end} as stored, read by the test's own connection. */
    private static String lockColumns(TestDatabase db, String prefix, String id) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT lock_token, lease_end FROM " + prefix + "_sessions WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rows = s.executeQuery()) {
                assertThat(rows.next()).isTrue();
                long token = rows.getLong(1);
                long leaseEnd = rows.getLong(2);
                return token + "/" + (rows.wasNull() ? "null" : Long.toString(leaseEnd));
            }
        }
    }

    /**
     * Stores whose connections see the database's clock standing at a given instant: MariaDB by
     * {@code SET timestamp}, PostgreSQL by a {@code clock_timestamp()} of a test schema placed before
     * {@code pg_catalog} in the search path.
     */
    private static final class FrozenClock implements AutoCloseable {

        private final TestDatabase db;
        private final String prefix;
        private final String schema;
        private final List<AutoCloseable> opened = new ArrayList<>();

        private FrozenClock(TestDatabase db, String prefix, String schema) {
            this.db = db;
            this.prefix = prefix;
            this.schema = schema;
        }

        static FrozenClock of(TestDatabase db, String prefix) {
            if (!db.name().equals("postgresql")) {
                return new FrozenClock(db, prefix, null);
            }
            String schema = prefix + "_clock";
            db.execute("CREATE SCHEMA " + schema, "CREATE FUNCTION " + schema + ".clock_timestamp() RETURNS timestamptz"
                    + " LANGUAGE sql AS $$ SELECT timestamptz 'epoch'"
                    + " + current_setting('session_cluster_test.now_ms')::bigint * interval '1 millisecond' $$");
            return new FrozenClock(db, prefix, schema);
        }

        /** A store whose database clock reads {@code epochMillis}. */
        SessionStore store(long epochMillis) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(db.url());
            config.setUsername(db.user());
            if (!db.password().isEmpty()) {
                config.setPassword(db.password());
            }
            config.setMaximumPoolSize(2);
            config.setConnectionInitSql(schema == null
                    ? "SET timestamp = " + epochMillis / 1000 + "." + String.format("%03d", epochMillis % 1000)
                    : "SELECT set_config('search_path', '" + schema + ", public, pg_catalog', false),"
                            + " set_config('session_cluster_test.now_ms', '" + epochMillis + "', false)");
            HikariDataSource pool = new HikariDataSource(config);
            SessionStore store = JdbcSessionStoreProvider.open(pool, pool, DialectChoice.AUTO, new Tables(prefix), false,
                    5000, 1000);
            opened.add(store);
            return store;
        }

        @Override
        public void close() throws Exception {
            for (AutoCloseable store : opened) {
                store.close();
            }
            if (schema != null) {
                db.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static ChangeSet update(String id, String name, String value) {
        return new ChangeSet(id, false, 1, System.currentTimeMillis(), 1800, Map.of(name, bytes(value)), Set.of());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }
}
