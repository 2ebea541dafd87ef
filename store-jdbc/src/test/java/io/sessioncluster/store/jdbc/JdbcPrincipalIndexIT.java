package io.sessioncluster.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the shared {@code PrincipalIndexContract} cannot see of the JDBC store: the {@code principal} column and its
 * index in new tables and in tables of the previous version upgraded on open, names compared exactly by every
 * database, what {@code sessionsOf} and {@code page} send, and names and cursors that no message may show.
 */
@Timeout(120)
class JdbcPrincipalIndexIT {

    private static final TablePrefixes FRESH = new TablePrefixes("prin");
    private static final TablePrefixes UPGRADED = new TablePrefixes("pupg");
    private static final TablePrefixes UNINDEXED = new TablePrefixes("pidx");

    static List<TestDatabase> databases() {
        return List.of(TestDatabase.postgres(), TestDatabase.mariadb(), TestDatabase.h2());
    }

    @AfterAll
    static void dropTables() {
        for (TablePrefixes prefixes : List.of(FRESH, UPGRADED, UNINDEXED)) {
            prefixes.dropAll(databases());
        }
    }

    private static String fresh(TestDatabase db) {
        return FRESH.of(db, prefix -> db.open(prefix).close());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void newTablesHaveTheNullablePrincipalColumnAndItsIndex(TestDatabase db) throws Exception {
        String prefix = fresh(db);

        assertThat(principalColumn(db, prefix))
                .isEqualTo(db.name().equals("mariadb") ? "varbinary(768) null" : "character varying(256) null");
        assertThat(principalIndex(db, prefix)).isEqualTo(db.name().equals("mariadb") ? "principal(255)" : "principal");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aTableOfThePreviousSchemaGainsTheColumnAndItsIndexOnOpenAndKeepsItsSessions(TestDatabase db)
            throws Exception {
        String prefix = UPGRADED.of(db, p -> {
            db.open(p).close();
            db.dropPrincipalColumn(p);
        });
        assertThat(principalColumn(db, prefix)).isNull();
        String id = newId();
        insertAsThePreviousVersion(db, prefix, id);

        Map<String, String> raw = db.settings(prefix);
        raw.put("createSchema", "false");
        String type = db.name().equals("mariadb") ? "VARBINARY(768)" : "VARCHAR(256)";
        String columns = db.name().equals("mariadb") ? "principal(255)" : "principal";
        assertThatThrownBy(() -> TestDatabase.open(raw).close())
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("table [" + prefix + "_sessions] was created by an earlier version and lacks the"
                        + " columns of the user's sessions index: run ALTER TABLE " + prefix + "_sessions ADD COLUMN"
                        + " principal " + type + "; CREATE INDEX " + prefix + "_sessions_principal ON " + prefix
                        + "_sessions (" + columns + ")")
                .hasMessageContaining("or set createSchema=\"true\"");
        assertThat(principalColumn(db, prefix)).isNull();

        try (SessionStore store = db.open(prefix)) {
            SessionRecord record = store.load(id).orElseThrow();
            assertThat(record.version()).isEqualTo(2);
            assertThat(record.principal()).isNull();
            assertThat(record.attributes().get("cart")).isEqualTo(bytes("three items"));

            assertThat(store.write(update(id).withPrincipal(PrincipalChange.to("alice")))).isEqualTo(WriteResult.written(3));
            assertThat(store.sessionsOf("alice")).containsExactly(id);
        }
        assertThat(principalColumn(db, prefix)).isEqualTo(principalColumn(db, fresh(db)));
        assertThat(principalIndex(db, prefix)).isEqualTo(principalIndex(db, fresh(db)));
        TestDatabase.open(raw).close(); // upgraded once, for every later open
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anIndexMissingAloneIsCreatedWithCreateSchemaAndWithoutItTheStoreStillOpens(TestDatabase db) throws Exception {
        String prefix = UNINDEXED.of(db, p -> {
            db.open(p).close();
            db.dropPrincipalIndex(p);
        });
        Map<String, String> raw = db.settings(prefix);
        raw.put("createSchema", "false");
        try (SessionStore store = TestDatabase.open(raw)) { // a warning names the CREATE INDEX to run
            String id = newId();
            store.write(create(id).withPrincipal(PrincipalChange.to("bob")));
            assertThat(store.sessionsOf("bob")).containsExactly(id);
        }
        assertThat(principalIndex(db, prefix)).isNull();

        db.open(prefix).close();
        assertThat(principalIndex(db, prefix)).isEqualTo(principalIndex(db, fresh(db)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void namesAreComparedExactlyByEveryDatabase(TestDatabase db) {
        try (SessionStore store = db.open(fresh(db))) {
            List<String> names = List.of("carol", "Carol", "CAROL", "carol ", " carol", "carol\t", "carole", "caröl",
                    "caro\u0308l");
            List<String> ids = new ArrayList<>();
            for (String name : names) {
                String id = newId();
                ids.add(id);
                store.write(create(id).withPrincipal(PrincipalChange.to(name)));
            }
            for (int i = 0; i < names.size(); i++) {
                assertThat(store.sessionsOf(names.get(i))).as("[%s]", names.get(i)).containsExactly(ids.get(i));
                assertThat(store.load(ids.get(i)).orElseThrow().principal()).isEqualTo(names.get(i));
            }
            assertThat(store.sessionsOf("caro")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void sessionsOfIsOneStatementOnTheIndexedColumnAndNoneForANameThatCannotBeIndexed(TestDatabase db) {
        String prefix = fresh(db);
        try (HikariDataSource pool = DataSources.pool(db.url(), db.user(), db.password(), 2, 5000, "/principal")) {
            CountingDataSource counting = new CountingDataSource(pool);
            SessionStore store = openCounted(counting, prefix);
            String id = newId();
            store.write(create(id).withPrincipal(PrincipalChange.to("dave")));

            counting.reset();
            assertThat(store.sessionsOf("dave")).containsExactly(id);
            assertThat(counting.executions.get()).isEqualTo(1);
            assertThat(counting.prepared).hasSize(1);
            assertThat(counting.prepared.get(0)).startsWith("SELECT id FROM " + prefix + "_sessions WHERE principal = ? AND expires_at > ");

            counting.reset();
            String tooLong = "d".repeat(PrincipalChange.MAX_NAME_LENGTH + 1);
            for (String name : new String[] {null, "", tooLong}) {
                assertThat(store.sessionsOf(name)).isEmpty();
            }
            assertThat(counting.executions.get()).as("statements for names no write can have indexed").isZero();
            store.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aNameWithNulIsDataWhereTheDatabaseHoldsItAndRefusedClearlyWhereItCannot(TestDatabase db) {
        try (SessionStore store = db.open(fresh(db))) {
            String name = "nul\u0000name";
            String id = newId();
            String plain = newId();
            store.write(create(plain).withPrincipal(PrincipalChange.to("nul")));
            if (!db.name().equals("postgresql")) {
                assertThat(store.write(create(id).withPrincipal(PrincipalChange.to(name)))).isEqualTo(WriteResult.written(1));
                assertThat(store.sessionsOf(name)).containsExactly(id);
                assertThat(store.load(id).orElseThrow().principal()).isEqualTo(name);
            } else {
                store.write(create(id));
                assertThatThrownBy(() -> store.write(update(id).withPrincipal(PrincipalChange.to(name))))
                        .isInstanceOf(StoreException.class)
                        .isNotInstanceOf(StoreUnavailableException.class)
                        .hasMessage("write of session " + SessionIds.redact(id) + " failed: its principal name holds a"
                                + " character postgresql cannot store (NUL)");
                assertThat(store.load(id).orElseThrow().version()).as("nothing written").isEqualTo(1);
                assertThat(store.sessionsOf(name)).isEmpty();
            }
            assertThat(store.sessionsOf("nul")).containsExactly(plain);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aPrincipalNameNeverAppearsInAFailuresMessage(TestDatabase db) {
        try (SessionStore store = db.open(fresh(db))) {
            String name = "erin-" + UUID.randomUUID();
            String tooLong = "L".repeat(300);
            ChangeSet refused = new ChangeSet(tooLong, true, 1, 1, 1800, Map.of("a", bytes("1")), Set.of(),
                    PrincipalChange.to(name));
            assertThatThrownBy(() -> store.write(refused))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("write of session " + SessionIds.redact(tooLong))
                    .hasMessageNotContaining(name)
                    .hasMessageNotContaining(tooLong);

            String fine = newId();
            List<WriteResult> results = store.writeAll(List.of(create(fine).withPrincipal(PrincipalChange.to(name)),
                    refused));
            assertThat(results.get(0)).isEqualTo(WriteResult.written(1));
            assertThat(results.get(1).status()).isEqualTo(WriteResult.Status.FAILED);
            assertThat(results.get(1).problem()).doesNotContain(name).doesNotContain(tooLong);
            assertThat(store.sessionsOf(name)).containsExactly(fine);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void nothingOfANameStaysInTheTableOnceItsLastSessionEnds(TestDatabase db) throws Exception {
        String prefix = fresh(db);
        try (SessionStore store = db.open(prefix)) {
            String name = "frank-" + UUID.randomUUID();
            String deleted = newId();
            String moved = newId();
            String movedTo = newId();
            String claimed = newId();
            long now = store.storeTimeMillis();
            store.write(create(deleted).withPrincipal(PrincipalChange.to(name)));
            store.write(create(moved).withPrincipal(PrincipalChange.to(name)));
            store.write(new ChangeSet(claimed, true, now - 10_000, now - 10_000, 1, Map.of(), Set.of())
                    .withPrincipal(PrincipalChange.to(name)));
            assertThat(rowsNamed(db, prefix, name)).isEqualTo(3);

            assertThat(store.delete(deleted)).isTrue();
            assertThat(store.changeId(moved, movedTo)).isTrue();
            assertThat(rowsNamed(db, prefix, name)).isEqualTo(2);
            assertThat(store.sessionsOf(name)).as("the expired one is not answered").containsExactly(movedTo);
            assertThat(store.claimIfExpired(claimed, now)).isInstanceOf(ExpiryClaim.Claimed.class);
            assertThat(store.write(update(movedTo).withPrincipal(PrincipalChange.CLEARED))).isEqualTo(WriteResult.written(2));

            assertThat(rowsNamed(db, prefix, name)).isZero();
            assertThat(store.load(movedTo).orElseThrow().principal()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aClaimedSessionComesWithItsPrincipal(TestDatabase db) {
        try (SessionStore store = db.open(fresh(db))) {
            long now = store.storeTimeMillis();
            String one = newId();
            String bulk = newId();
            for (String id : List.of(one, bulk)) {
                store.write(new ChangeSet(id, true, now - 10_000, now - 10_000, 1, Map.of(), Set.of())
                        .withPrincipal(PrincipalChange.to("grace")));
            }
            ExpiryClaim.Claimed claim = (ExpiryClaim.Claimed) store.claimIfExpired(one, now);
            assertThat(claim.record().principal()).isEqualTo("grace");
            assertThat(store.claimExpired(now, 1_000)).filteredOn(r -> r.id().equals(bulk))
                    .singleElement().extracting(SessionRecord::principal).isEqualTo("grace");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aWalkReadsMetadataOnlyInIdOrderAndGoesOnOnAnyNode(TestDatabase db) {
        String prefix = TestDatabase.randomPrefix("walk" + db.name());
        try (HikariDataSource pool = DataSources.pool(db.url(), db.user(), db.password(), 2, 5000, "/walk")) {
            db.open(prefix).close();
            CountingDataSource counting = new CountingDataSource(pool);
            SessionStore store = openCounted(counting, prefix);
            List<String> ids = new ArrayList<>(List.of("", "x' OR '1'='1", "%", "_", "ü-é-名前", " padded ", "Z", "a",
                    "a\\b", "NULL"));
            for (int i = 0; i < 6; i++) {
                ids.add(newId());
            }
            for (String id : ids) {
                store.write(new ChangeSet(id, true, 1, 2, 1800, Map.of("big", new byte[10_000]), Set.of()));
            }

            counting.reset();
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                SessionStore node = pages % 2 == 0 ? store : db.open(prefix); // every other page on another node
                SessionPage page = node.page(cursor, 3);
                page.sessions().stream().map(SessionSummary::id).forEach(seen::add);
                cursor = page.next();
                if (node != store) {
                    node.close();
                }
                pages++;
            } while (cursor != null);

            assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(pages).isEqualTo(6); // 16 sessions in pages of 3, the last one short and with no next
            assertThat(counting.executions.get()).as("one statement per page on the counted node").isEqualTo(3);
            assertThat(counting.prepared).allSatisfy(sql -> assertThat(sql)
                    .doesNotContain(prefix + "_attributes").contains("ORDER BY id LIMIT ?"));
            assertThat(counting.parameterBytes.get()).as("no attribute data bound").isLessThan(1_000);
            store.close();
        } finally {
            db.dropTables(prefix);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aCursorThisStoreDidNotMakeIsRefusedWithoutBeingShown(TestDatabase db) {
        try (SessionStore store = db.open(fresh(db))) {
            store.write(create(newId()));
            store.write(create(newId()));
            String cursor = store.page(null, 1).next();
            assertThat(cursor).isNotNull();
            assertThat(store.page(cursor, 1000).sessions()).isNotEmpty();

            String payload = cursor.substring(3, cursor.lastIndexOf('.'));
            String checksum = cursor.substring(cursor.lastIndexOf('.'));
            String otherPayload = (payload.charAt(0) == 'A' ? "B" : "A") + payload.substring(1);
            List<String> bad = List.of(cursor.substring(0, cursor.length() - 1), cursor + "0", "j2" + cursor.substring(2),
                    "j1." + otherPayload + checksum, "j1." + payload + "=" + checksum, "j1." + payload + "==" + checksum,
                    "j1.", "j1..", "", " " + cursor, "x".repeat(100_000));
            for (String notACursor : bad) {
                assertThatThrownBy(() -> store.page(notACursor, 10)).as("[%s]", notACursor)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("not a cursor of this store")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(payload));
            }
        }
    }

    /** {@code type(length) null|not null} of the principal column, as the database describes it; null if none. */
    private static String principalColumn(TestDatabase db, String prefix) throws Exception {
        String table = db.name().equals("h2") ? (prefix + "_sessions").toUpperCase(Locale.ROOT) : prefix + "_sessions";
        String column = db.name().equals("h2") ? "PRINCIPAL" : "principal";
        String sql = "SELECT data_type, character_maximum_length, is_nullable FROM information_schema.columns"
                + " WHERE table_name = ? AND column_name = ?"
                + (db.name().equals("mariadb") ? " AND table_schema = DATABASE()" : "");
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, table);
            s.setString(2, column);
            try (ResultSet rows = s.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                return rows.getString(1).toLowerCase(Locale.ROOT) + "(" + rows.getLong(2) + ") "
                        + (rows.getString(3).equals("YES") ? "null" : "not null");
            }
        }
    }

    /** The columns of the index {@code <prefix>_sessions_principal} as the database's catalog lists them; null if none. */
    private static String principalIndex(TestDatabase db, String prefix) throws Exception {
        String index = prefix + "_sessions_principal";
        String sql = switch (db.name()) {
            case "postgresql" -> "SELECT substring(indexdef from '\\((.*)\\)$') FROM pg_indexes WHERE indexname = ?"
                    + " AND tablename = ?";
            case "mariadb" -> "SELECT CONCAT(column_name, COALESCE(CONCAT('(', sub_part, ')'), ''))"
                    + " FROM information_schema.statistics WHERE index_name = ? AND table_name = ?"
                    + " AND table_schema = DATABASE() ORDER BY seq_in_index";
            default -> "SELECT LOWER(column_name) FROM information_schema.index_columns WHERE index_name = ?"
                    + " AND table_name = ? ORDER BY ordinal_position";
        };
        boolean upper = db.name().equals("h2");
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, upper ? index.toUpperCase(Locale.ROOT) : index);
            s.setString(2, upper ? (prefix + "_sessions").toUpperCase(Locale.ROOT) : prefix + "_sessions");
            try (ResultSet rows = s.executeQuery()) {
                List<String> columns = new ArrayList<>();
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
                return columns.isEmpty() ? null : String.join(", ", columns);
            }
        }
    }

    private static long rowsNamed(TestDatabase db, String prefix, String name) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + prefix + "_sessions WHERE principal = ?")) {
            s.setString(1, name);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** A session row and an attribute as the version before the index wrote them: the principal unnamed. */
    private static void insertAsThePreviousVersion(TestDatabase db, String prefix, String id) throws Exception {
        long now = System.currentTimeMillis();
        try (Connection c = db.connect()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + prefix + "_sessions"
                    + " (id, version, creation_time, last_access, max_inactive, expires_at) VALUES (?, 2, ?, ?, 1800, ?)")) {
                s.setString(1, id);
                s.setLong(2, now);
                s.setLong(3, now);
                s.setLong(4, now + 1_800_000);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + prefix + "_attributes"
                    + " (session_id, name, content) VALUES (?, ?, ?)")) {
                s.setString(1, id);
                s.setBytes(2, bytes("cart"));
                s.setBytes(3, bytes("three items"));
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
    }

    private static SessionStore openCounted(CountingDataSource counting, String prefix) {
        return JdbcSessionStoreProvider.open(counting.dataSource(), () -> { }, DialectChoice.AUTO, new Tables(prefix),
                false, 5000, 1000);
    }

    private static ChangeSet create(String id) {
        long now = System.currentTimeMillis();
        return new ChangeSet(id, true, now, now, 1800, Map.of(), Set.of());
    }

    private static ChangeSet update(String id) {
        long now = System.currentTimeMillis();
        return new ChangeSet(id, false, now, now, 1800, Map.of(), Set.of());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
    }
}
