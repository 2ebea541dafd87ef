package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Input a store must survive: session ids full of SQL metacharacters (data, never SQL), ids too long for the column,
 * rows that something else wrote or damaged, and tables that are not there.
 */
class JdbcBadInputIT {

    private static final TablePrefixes PREFIXES = new TablePrefixes("bad");
    private static final List<String> NASTY_IDS = List.of("x' OR '1'='1", "a\"; DROP TABLE users; --", "%", "_", "%_%",
            "\\", "a\\'b", "$1", "?", ":id", "/* c */", "'); DELETE FROM x; --", "ü-é-名前", " padded ", "NULL", "");

    static List<TestDatabase> databases() {
        return List.of(TestDatabase.postgres(), TestDatabase.mariadb(), TestDatabase.h2());
    }

    private static String prefix(TestDatabase db) {
        return PREFIXES.of(db);
    }

    @AfterAll
    static void dropTables() {
        PREFIXES.dropAll(databases());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void idsWithSqlMetacharactersAreJustDistinctSessions(TestDatabase db) {
        try (SessionStore store = db.open(prefix(db))) {
            String bystander = "BYSTANDER" + UUID.randomUUID().toString().replace("-", "");
            store.write(change(bystander, true, "bystander"));
            for (String id : NASTY_IDS) {
                assertThat(store.write(change(id, true, id)).status()).as(id).isEqualTo(WriteResult.Status.WRITTEN);
            }
            for (String id : NASTY_IDS) {
                SessionRecord record = store.load(id).orElseThrow();
                assertThat(record.id()).isEqualTo(id);
                assertThat(new String(record.attributes().get("id"), StandardCharsets.UTF_8)).isEqualTo(id);
                assertThat(store.version(id)).hasValue(1);
                store.touch(List.of(new Touch(id, System.currentTimeMillis())));
            }
            String moved = "moved' OR ''='";
            assertThat(store.changeId(NASTY_IDS.get(0), moved)).isTrue();
            assertThat(store.load(moved)).isPresent();
            for (String id : NASTY_IDS.subList(1, NASTY_IDS.size())) {
                assertThat(store.delete(id)).as(id).isTrue();
            }
            assertThat(store.delete(moved)).isTrue();
            assertThat(store.load(bystander)).isPresent(); // no id matched more than itself
            assertThat(store.delete(bystander)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anIdTooLongForTheColumnFailsWithARedactedId(TestDatabase db) {
        try (SessionStore store = db.open(prefix(db))) {
            String id = "L".repeat(300);
            assertThatThrownBy(() -> store.write(change(id, true, "x")))
                    .isInstanceOf(StoreException.class)
                    .isNotInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("write of session " + SessionIds.redact(id))
                    .hasMessageNotContaining(id);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anEntryTheDatabaseRefusesFailsAloneInABatch(TestDatabase db) {
        try (SessionStore store = db.open(prefix(db))) {
            String tooLong = "L".repeat(300);
            String before = newId();
            String after = newId();
            store.write(change(after, true, "first"));

            List<WriteResult> results = store.writeAll(List.of(change(before, true, "x"), change(tooLong, true, "x"),
                    change(after, false, "second")));

            assertThat(results.get(0)).isEqualTo(WriteResult.written(1));
            assertThat(results.get(1).status()).isEqualTo(WriteResult.Status.FAILED);
            assertThat(results.get(1).problem()).contains(SessionIds.redact(tooLong)).doesNotContain(tooLong);
            assertThat(results.get(2)).isEqualTo(WriteResult.written(2));
            assertThat(store.load(before).orElseThrow().version()).as("written once, not twice").isEqualTo(1);
            assertThat(new String(store.load(after).orElseThrow().attributes().get("id"), StandardCharsets.UTF_8))
                    .isEqualTo("second");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void corruptAttributeBytesComeBackUntouchedForTheCodecToReject(TestDatabase db) throws Exception {
        try (SessionStore store = db.open(prefix(db))) {
            String id = newId();
            store.write(change(id, true, "fine"));
            byte[] garbage = {(byte) 0xFF, 0, (byte) 0xC3, 0x28, 1, 2, 3};
            update(db, "UPDATE " + prefix(db) + "_attributes SET content = ? WHERE session_id = ?", garbage, id);

            SessionRecord record = store.load(id).orElseThrow();
            assertThat(record.attributes().get("id")).isEqualTo(garbage);
            assertThat(record.version()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRowWithAnImpossibleVersionIsReportedNotServed(TestDatabase db) throws Exception {
        try (SessionStore store = db.open(prefix(db))) {
            String id = newId();
            store.write(change(id, true, "x"));
            db.execute("UPDATE " + prefix(db) + "_sessions SET version = 0 WHERE id = '" + id + "'");

            assertThatThrownBy(() -> store.load(id))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("session " + SessionIds.redact(id) + " has an invalid version [0]")
                    .hasMessageNotContaining(id);
            store.delete(id);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void missingTablesWithoutCreateSchemaFailTheOpenWithAClearMessage(TestDatabase db) {
        Map<String, String> raw = db.settings(TestDatabase.randomPrefix("none"));
        raw.put("createSchema", "false");
        assertThatThrownBy(() -> TestDatabase.open(raw).close())
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("_sessions] cannot be read")
                .hasMessageContaining("set createSchema=\"true\"");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aForcedDialectThatDoesNotMatchTheDatabaseFailsClearly(TestDatabase db) {
        Map<String, String> raw = db.settings(prefix(db));
        raw.put("jdbcDialect", db.name().equals("h2") ? "mariadb" : "h2");
        assertThatThrownBy(() -> {
            try (SessionStore store = TestDatabase.open(raw)) {
                store.write(change(newId(), true, "x")); // MERGE ... KEY or INSERT IGNORE: not this database's SQL
            }
        }).isInstanceOf(StoreException.class);
    }

    private static void update(TestDatabase db, String sql, byte[] value, String id) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setBytes(1, value);
            s.setString(2, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static ChangeSet change(String id, boolean created, String value) {
        long now = System.currentTimeMillis();
        return new ChangeSet(id, created, now, now, 1800, Map.of("id", value.getBytes(StandardCharsets.UTF_8)), Set.of());
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
