package io.sessioncluster.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one request costs that changes one 100-byte attribute of a 50 KB session (50 attributes of 1 KB): counted
 * statements and bytes sent, not time. The target is under 2% of the session's size. The figures are printed (and
 * quoted in docs/stores/jdbc.md, "Figures"); the assertion guards the delta design against a regression to
 * whole-session writes.
 */
class JdbcWriteCostIT {

    private static final int ATTRIBUTES = 50;
    private static final int ATTRIBUTE_BYTES = 1024;
    private static final TablePrefixes PREFIXES = new TablePrefixes("cost");

    static List<TestDatabase> databases() {
        return List.of(TestDatabase.postgres(), TestDatabase.mariadb(), TestDatabase.h2());
    }

    @AfterAll
    static void dropTables() {
        PREFIXES.dropAll(databases());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void changingOneSmallAttributeOfALargeSessionSendsUnderTwoPercentOfIt(TestDatabase db) {
        String prefix = PREFIXES.of(db);
        db.open(prefix).close(); // creates the tables
        try (HikariDataSource pool = DataSources.pool(db.url(), db.user(), db.password(), 2, 5000, "/cost")) {
            CountingDataSource counting = new CountingDataSource(pool);
            SessionStore store = openCounted(counting, prefix);
            String id = UUID.randomUUID().toString().replace("-", "").toUpperCase();
            long now = System.currentTimeMillis();
            Map<String, byte[]> attributes = new LinkedHashMap<>();
            for (int i = 0; i < ATTRIBUTES; i++) {
                attributes.put("attribute-" + i, filled(ATTRIBUTE_BYTES, i));
            }
            assertThat(store.write(new ChangeSet(id, true, now, now, 1800, attributes, Set.of())).status())
                    .isEqualTo(WriteResult.Status.WRITTEN);
            long sessionBytes = store.load(id).map(SessionRecord::attributeBytes).orElseThrow();

            int requests = 20;
            counting.reset();
            for (int r = 0; r < requests; r++) {
                store.write(new ChangeSet(id, false, now, now + r, 1800, Map.of("attribute-7", filled(100, r)), Set.of()));
            }

            double statements = counting.executions.get() / (double) requests;
            double commits = counting.commits.get() / (double) requests;
            double parameters = counting.parameterBytes.get() / (double) requests;
            double sql = counting.sqlBytes.get() / (double) requests;
            double share = (parameters + sql) / sessionBytes;
            System.out.printf("[figures] %s: session %d bytes; per request: %.1f statements + %.1f commit,"
                            + " %.0f parameter bytes + %.0f SQL text bytes = %.0f bytes = %.2f%% of the session%n",
                    db.name(), sessionBytes, statements, commits, parameters, sql, parameters + sql, share * 100);
            assertThat(share).isLessThan(0.02);
            assertThat(statements).isLessThanOrEqualTo(3);
            store.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aBatchOfManySessionsCostsOneTransaction(TestDatabase db) {
        String prefix = PREFIXES.of(db);
        db.open(prefix).close(); // creates the tables
        try (HikariDataSource pool = DataSources.pool(db.url(), db.user(), db.password(), 2, 5000, "/cost")) {
            CountingDataSource counting = new CountingDataSource(pool);
            SessionStore store = openCounted(counting, prefix);
            long now = System.currentTimeMillis();
            List<ChangeSet> creates = new ArrayList<>();
            List<ChangeSet> updates = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = UUID.randomUUID().toString().replace("-", "").toUpperCase();
                creates.add(new ChangeSet(id, true, now, now, 1800, Map.of("a", filled(100, i)), Set.of()));
                updates.add(new ChangeSet(id, false, now, now + 1, 1800, Map.of("a", filled(100, i + 1)), Set.of("b")));
            }
            assertThat(store.writeAll(creates)).containsOnly(WriteResult.written(1));

            counting.reset();
            assertThat(store.writeAll(updates)).containsOnly(WriteResult.written(2));

            System.out.printf("[figures] %s: writeAll of 20 sessions: %d statements, %d commit(s)%n", db.name(),
                    counting.executions.get(), counting.commits.get());
            assertThat(counting.commits.get()).as("one commit for the whole batch").isEqualTo(1);
            store.close();
        }
    }

    private static byte[] filled(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    /** The store over the counting data source, on the tables made for {@code prefix}. */
    private static SessionStore openCounted(CountingDataSource counting, String prefix) {
        return JdbcSessionStoreProvider.open(counting.dataSource(), () -> { }, DialectChoice.AUTO, new Tables(prefix),
                false, 5000, 1000);
    }
}
