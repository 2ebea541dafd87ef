package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes coming and going, in both replication modes, on real channels over loopback: what one node writes the
 * others read; a node that crashes loses nothing acknowledged; a node joining under load misses nothing.
 */
@Timeout(120)
class JGroupsFailoverIT {

    private final JGroupsMembers members = new JGroupsMembers("failover");

    @AfterEach
    void closeNodes() {
        members.close();
    }

    private JGroupsSessionStore node(String replication) {
        return members.node(replication);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void setOnAIsReadOnBAndC(String replication) {
        JGroupsSessionStore a = node(replication);
        JGroupsSessionStore b = node(replication);
        JGroupsSessionStore c = node(replication);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "set-on-a-" + i;
            assertThat(a.write(create(id, "user", "alice" + i))).isEqualTo(WriteResult.written(1));
            ids.add(id);
        }
        for (int i = 0; i < ids.size(); i++) {
            assertThat(value(b.load(ids.get(i)).orElseThrow(), "user")).isEqualTo("alice" + i);
            assertThat(value(c.load(ids.get(i)).orElseThrow(), "user")).isEqualTo("alice" + i);
        }
        assertThat(b.write(update(ids.get(0), "user", "bob"))).isEqualTo(WriteResult.written(2));
        assertThat(value(c.load(ids.get(0)).orElseThrow(), "user")).isEqualTo("bob");
        assertThat(value(a.load(ids.get(0)).orElseThrow(), "user")).isEqualTo("bob");
    }

    @org.junit.jupiter.api.Test
    void primaryBackupKeepsEachSessionOnItsOwnerAndBackupsOnly() {
        List<JGroupsSessionStore> four = List.of(node("primary-backup"), node("primary-backup"),
                node("primary-backup"), node("primary-backup"));
        int sessions = 200;
        for (int i = 0; i < sessions; i++) {
            four.get(i % 4).write(create("spread-" + i, "x", "1"));
        }
        int total = 0;
        for (JGroupsSessionStore n : four) {
            assertThat(n.heldSessions()).isLessThan(sessions);
            total += n.heldSessions();
        }
        assertThat(total).isEqualTo(2 * sessions);
        for (int i = 0; i < sessions; i++) {
            assertThat(four.get((i + 1) % 4).load("spread-" + i)).isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void crashedNodeLosesNothingAcknowledged(String replication) {
        JGroupsSessionStore a = node(replication);
        JGroupsSessionStore b = node(replication);
        JGroupsSessionStore c = node(replication);
        List<JGroupsSessionStore> writers = List.of(a, b, c);
        int sessions = 60;
        for (int i = 0; i < sessions; i++) {
            JGroupsSessionStore writer = writers.get(i % 3);
            writer.write(create("crash-" + i, "n", "0"));
            assertThat(writer.write(update("crash-" + i, "n", "1"))).isEqualTo(WriteResult.written(2));
        }

        JGroupsTestNodes.crash(c);
        members.forget(c);
        JGroupsTestNodes.await(Duration.ofSeconds(20),
                () -> JGroupsTestNodes.viewSize(a) == 2 && JGroupsTestNodes.viewSize(b) == 2, "the crash noticed");

        for (int i = 0; i < sessions; i++) {
            SessionRecord r = b.load("crash-" + i).orElseThrow();
            assertThat(r.version()).isEqualTo(2);
            assertThat(value(r, "n")).isEqualTo("1");
            assertThat(a.write(update("crash-" + i, "n", "2"))).isEqualTo(WriteResult.written(3));
            assertThat(b.version("crash-" + i)).hasValue(3);
        }
        // Every session again has its owner and one backup (primary-backup), or is everywhere (all).
        JGroupsTestNodes.await(Duration.ofSeconds(10),
                () -> a.heldSessions() + b.heldSessions() == 2 * sessions, "two copies of every session");
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void nodeJoiningUnderLoadMissesNothing(String replication) throws Exception {
        JGroupsSessionStore a = node(replication);
        JGroupsSessionStore b = node(replication);
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Set<String> problems = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> load = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                JGroupsSessionStore writer = t % 2 == 0 ? a : b;
                int thread = t;
                load.add(pool.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "load-" + thread + "-" + (i % 25);
                        WriteResult r = i < 25 ? writer.write(create(id, "i", Integer.toString(i)))
                                : writer.write(update(id, "i", Integer.toString(i)));
                        if (r.status() != WriteResult.Status.WRITTEN) {
                            problems.add(id + " " + r);
                        } else {
                            acknowledged.put(id, r.newVersion());
                        }
                    }
                    return null;
                }));
            }
            JGroupsTestNodes.await(Duration.ofSeconds(10), () -> acknowledged.size() >= 60, "load running");
            JGroupsSessionStore c = node(replication); // joins while the writers write
            Thread.sleep(300);
            stop.set(true);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }

            assertThat(problems).isEmpty();
            for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
                assertThat(c.version(e.getKey())).as(e.getKey()).hasValue(e.getValue());
                assertThat(c.load(e.getKey()).orElseThrow().version()).isEqualTo(e.getValue());
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    static ChangeSet create(String id, String name, String value) {
        long now = System.currentTimeMillis();
        return new ChangeSet(id, true, now, now, 1800, Map.of(name, value.getBytes(StandardCharsets.UTF_8)), Set.of());
    }

    static ChangeSet update(String id, String name, String value) {
        long now = System.currentTimeMillis();
        return new ChangeSet(id, false, now, now, 1800, Map.of(name, value.getBytes(StandardCharsets.UTF_8)), Set.of());
    }

    static String value(SessionRecord r, String name) {
        return new String(r.attributes().get(name), StandardCharsets.UTF_8);
    }
}
