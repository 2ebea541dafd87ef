package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.WriteResult;
import org.jgroups.protocols.JDBC_PING2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.create;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.update;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.value;
import static io.sessioncluster.store.jgroups.JGroupsTestNodes.await;
import static io.sessioncluster.store.jgroups.JGroupsTestNodes.viewSize;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jdbc stack (JDBC_PING2 over TCP) against a real PostgreSQL: {@code SESSION_CLUSTER_POSTGRES_URL} (user and
 * password in {@code ..._USER} / {@code ..._PASSWORD}) if set, else the local server at 127.0.0.1:5432, database
 * {@code test}, user {@code postgres}. The members' table is created by the first member, is unique to this run and
 * dropped afterwards. Besides the view, each test checks the table: one row per live member, none for a member that
 * left or crashed.
 */
@Timeout(90)
class JGroupsJdbcDiscoveryIT {

    private static final String URL = env("URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = env("USER", "postgres");
    private static final String PASSWORD = env("PASSWORD", "");
    private static final String TABLE = "jgroups_ping_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private final String cluster = JGroupsTestNodes.freshClusterName("jdbc");

    private static String env(String name, String fallback) {
        String value = System.getenv("SESSION_CLUSTER_POSTGRES_" + name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    @AfterAll
    static void dropTable() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    private JGroupsSessionStore member() {
        return JGroupsTestNodes.open(cluster, "jgroupsStack", "jdbc", "jgroupsJdbcUrl", URL, "jgroupsJdbcUser", USER,
                "jgroupsJdbcPassword", PASSWORD, "jgroupsJdbcTable", TABLE);
    }

    /** The logical names in this cluster's rows of the table. */
    private List<String> rows() {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
             PreparedStatement select = c.prepareStatement("SELECT name FROM " + TABLE + " WHERE cluster=?")) {
            select.setString(1, cluster);
            List<String> names = new ArrayList<>();
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> names(JGroupsSessionStore... nodes) {
        return Stream.of(nodes).map(n -> n.channel().getName()).toList();
    }

    private void awaitRows(JGroupsSessionStore... nodes) {
        List<String> expected = names(nodes);
        await(Duration.ofSeconds(20), () -> {
            List<String> rows = rows();
            return rows.size() == expected.size() && rows.containsAll(expected);
        }, "the table lists exactly " + expected);
    }

    @Test
    void threeMembersFindEachOtherThroughTheTableAndShareSessions() {
        try (JGroupsSessionStore a = member(); JGroupsSessionStore b = member(); JGroupsSessionStore c = member()) {
            for (JGroupsSessionStore node : List.of(a, b, c)) {
                await(Duration.ofSeconds(20), () -> viewSize(node) == 3, "a view of 3 on " + node.channel().address());
            }
            awaitRows(a, b, c);
            assertThat(a.write(create("jdbc-session", "cart", "1"))).isEqualTo(WriteResult.written(1));
            assertThat(value(c.load("jdbc-session").orElseThrow(), "cart")).isEqualTo("1");
            assertThat(c.write(update("jdbc-session", "cart", "2"))).isEqualTo(WriteResult.written(2));
            assertThat(value(b.load("jdbc-session").orElseThrow(), "cart")).isEqualTo("2");
        }
        assertThat(rows()).as("rows after every member closed").isEmpty();
    }

    @Test
    void aLateMemberJoinsAndAMemberThatLeavesLeavesTheTable() {
        try (JGroupsSessionStore a = member(); JGroupsSessionStore b = member()) {
            await(Duration.ofSeconds(20), () -> viewSize(a) == 2 && viewSize(b) == 2, "a view of 2");
            assertThat(a.write(create("before-join", "x", "early"))).isEqualTo(WriteResult.written(1));
            try (JGroupsSessionStore late = member()) {
                await(Duration.ofSeconds(20), () -> viewSize(a) == 3 && viewSize(late) == 3, "the late member joined");
                awaitRows(a, b, late);
                assertThat(value(late.load("before-join").orElseThrow(), "x")).isEqualTo("early");

                b.close();
                await(Duration.ofSeconds(20), () -> viewSize(a) == 2 && viewSize(late) == 2, "the view without b");
                awaitRows(a, late);
                assertThat(late.write(update("before-join", "x", "after-leave"))).isEqualTo(WriteResult.written(2));
                assertThat(value(a.load("before-join").orElseThrow(), "x")).isEqualTo("after-leave");
            }
        }
    }

    @Test
    void theRowOfACrashedCoordinatorIsRemovedByTheNextOne() {
        try (JGroupsSessionStore a = member(); JGroupsSessionStore b = member(); JGroupsSessionStore c = member()) {
            await(Duration.ofSeconds(20), () -> viewSize(a) == 3 && viewSize(b) == 3 && viewSize(c) == 3, "a view of 3");
            awaitRows(a, b, c);
            assertThat(a.channel().getView().getCoord()).isEqualTo(a.channel().address());
            assertThat(a.write(create("crash-session", "x", "1"))).isEqualTo(WriteResult.written(1));

            // A killed process cannot delete its row: cut a's database first (a server nobody listens on), then its
            // traffic, then close it without a goodbye.
            JDBC_PING2 ping = a.channel().getProtocolStack().findProtocol(JDBC_PING2.class);
            ping.setDataSource(new DriverDataSource("jdbc:postgresql://127.0.0.1:1/crashed", "", ""));
            JGroupsTestNodes.crash(a);
            assertThat(rows()).as("the crashed member's row is still there").contains(a.channel().getName());

            await(Duration.ofSeconds(20), () -> viewSize(b) == 2 && viewSize(c) == 2, "the view without the crashed member");
            awaitRows(b, c);
            assertThat(value(c.load("crash-session").orElseThrow(), "x")).isEqualTo("1");
            assertThat(b.write(update("crash-session", "x", "2"))).isEqualTo(WriteResult.written(2));
            assertThat(value(c.load("crash-session").orElseThrow(), "x")).isEqualTo("2");
        }
    }
}
