package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's sessions index and the walk while members crash, leave and join, on real channels over loopback: the
 * index answers for every session that survives, whichever member owns it now, and each member's index matches the
 * sessions it holds; a walk ends and sees every session that lives through it.
 */
@Timeout(180)
class JGroupsPrincipalIndexIT {

    private static final List<String> NAMES = List.of("alice", "bob", "ümlaut ✓");

    private final JGroupsMembers members = new JGroupsMembers("index");

    @AfterEach
    void closeNodes() {
        members.close();
    }

    private JGroupsSessionStore node(String replication) {
        return members.node(replication);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void anOwnersCrashKeepsTheIndexAnsweringForTheSessionsThatSurvive(String replication) {
        JGroupsSessionStore a = node(replication);
        JGroupsSessionStore b = node(replication);
        JGroupsSessionStore c = node(replication);
        List<JGroupsSessionStore> three = List.of(a, b, c);
        Map<String, String> principalOf = new LinkedHashMap<>();
        // The crashed member's own sessions, logged in from every node, and others' sessions under the same names.
        List<String> ofC = JGroupsTestNodes.ownedBy(c, "crash-c", 12, three);
        for (int i = 0; i < ofC.size(); i++) {
            assertThat(three.get(i % 3).write(create(ofC.get(i), NAMES.get(i % 3)))).isEqualTo(WriteResult.written(1));
            principalOf.put(ofC.get(i), NAMES.get(i % 3));
        }
        for (int i = 0; i < 18; i++) {
            String id = "crash-other-" + i;
            a.write(create(id, NAMES.get(i % 3)));
            principalOf.put(id, NAMES.get(i % 3));
        }
        for (JGroupsSessionStore n : three) {
            assertAnswers(n, principalOf);
        }

        JGroupsTestNodes.crash(c);
        members.forget(c);
        JGroupsTestNodes.await(Duration.ofSeconds(20),
                () -> JGroupsTestNodes.viewSize(a) == 2 && JGroupsTestNodes.viewSize(b) == 2, "the crash noticed");

        for (JGroupsSessionStore n : List.of(a, b)) {
            assertAnswers(n, principalOf);
            assertThat(walk(n, 7)).isEqualTo(principalOf.keySet());
        }
        // The new owners keep it up to date: a log-out, a move to another name, a delete, a rename.
        String loggedOut = ofC.get(0);
        String moved = ofC.get(1);
        String deleted = ofC.get(2);
        String renamed = ofC.get(3);
        assertThat(b.write(update(loggedOut, PrincipalChange.CLEARED))).isEqualTo(WriteResult.written(2));
        assertThat(a.write(update(moved, PrincipalChange.to("carol")))).isEqualTo(WriteResult.written(2));
        assertThat(b.delete(deleted)).isTrue();
        assertThat(a.changeId(renamed, "crash-renamed")).isTrue();
        principalOf.remove(loggedOut);
        principalOf.put(moved, "carol");
        principalOf.remove(deleted);
        principalOf.put("crash-renamed", principalOf.remove(renamed));
        for (JGroupsSessionStore n : List.of(a, b)) {
            assertAnswers(n, principalOf);
            assertThat(n.load(loggedOut).orElseThrow().principal()).isNull();
            assertThat(n.load("crash-renamed").orElseThrow().principal()).isEqualTo(principalOf.get("crash-renamed"));
        }
        JGroupsTestNodes.await(Duration.ofSeconds(10), () -> settled(List.of(a, b), principalOf.size() + 1,
                replication), "every session on its owners again");
        for (JGroupsSessionStore n : List.of(a, b)) {
            assertIndexMatchesRecords(n);
        }
    }

    @Test
    void rebalancingOnJoinAndLeaveKeepsTheIndexRight() {
        JGroupsSessionStore a = node("primary-backup");
        JGroupsSessionStore b = node("primary-backup");
        Map<String, String> principalOf = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            String id = "join-" + i;
            (i % 2 == 0 ? a : b).write(create(id, NAMES.get(i % 3)));
            principalOf.put(id, NAMES.get(i % 3));
        }
        b.write(create("join-anonymous", null));

        JGroupsSessionStore c = node("primary-backup");
        JGroupsSessionStore d = node("primary-backup");
        List<JGroupsSessionStore> four = List.of(a, b, c, d);
        JGroupsTestNodes.await(Duration.ofSeconds(20), () -> settled(four, principalOf.size() + 1, "primary-backup"),
                "copies moved to the joined members and dropped by the others");

        for (JGroupsSessionStore n : four) {
            assertAnswers(n, principalOf);
            assertIndexMatchesRecords(n);
        }
        // The joined members own sessions now, and answer for them from what the state transfer brought.
        for (JGroupsSessionStore joined : List.of(c, d)) {
            List<String> owned = principalOf.keySet().stream().filter(joined.topology()::isPrimary).toList();
            assertThat(owned).as("sessions %s owns", joined.channel().address()).isNotEmpty();
            for (String id : owned) {
                assertThat(joined.local().indexedIds(principalOf.get(id))).contains(id);
            }
            // ... and take changes: a log-out of one of theirs, written from a member that no longer holds it.
            String id = owned.get(0);
            JGroupsSessionStore writer = four.stream().filter(n -> !n.topology().isOwner(n.topology().self(), id))
                    .findFirst().orElseThrow();
            assertThat(writer.write(update(id, PrincipalChange.CLEARED)).status()).isEqualTo(WriteResult.Status.WRITTEN);
            principalOf.remove(id);
        }
        for (JGroupsSessionStore n : four) {
            assertAnswers(n, principalOf);
        }

        b.close(); // a leave with a goodbye: its sessions move again
        members.forget(b);
        List<JGroupsSessionStore> three = List.of(a, c, d);
        JGroupsTestNodes.await(Duration.ofSeconds(20), () -> three.stream().allMatch(n -> JGroupsTestNodes.viewSize(n) == 3)
                && settled(three, 61, "primary-backup"), "b's sessions on two of the three");
        for (JGroupsSessionStore n : three) {
            assertAnswers(n, principalOf);
            assertIndexMatchesRecords(n);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void aWalkEndsAndSeesEverySurvivingSessionWhileMembersLeaveAndJoin(String replication) {
        JGroupsSessionStore a = node(replication);
        JGroupsSessionStore b = node(replication);
        JGroupsSessionStore c = node(replication);
        JGroupsSessionStore d = node(replication);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 45; i++) {
            String id = "walk-" + i;
            List.of(a, b, c, d).get(i % 4).write(create(id, i % 5 == 0 ? "alice" : null));
            ids.add(id);
        }

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            // Pages asked of different members, while one leaves, one crashes and one joins.
            JGroupsSessionStore asker = pages % 2 == 0 ? a : b;
            SessionPage page = asker.page(cursor, 6);
            assertThat(page.sessions()).hasSizeLessThanOrEqualTo(6);
            page.sessions().forEach(s -> seen.add(s.id()));
            cursor = page.next();
            switch (++pages) {
                case 1 -> {
                    c.close();
                    members.forget(c);
                    // Its sessions on two members again before the next one goes: two owners of a session lost at
                    // once lose it (the store's rule, not the walk's).
                    JGroupsTestNodes.await(Duration.ofSeconds(20), () -> settled(List.of(a, b, d), 45, replication),
                            "c's sessions copied to new backups");
                }
                case 3 -> {
                    JGroupsTestNodes.crash(d);
                    members.forget(d);
                    // Noticed within the failure detection time; a page asked before that would wait for it.
                    JGroupsTestNodes.await(Duration.ofSeconds(20), () -> JGroupsTestNodes.viewSize(a) == 2
                            && JGroupsTestNodes.viewSize(b) == 2, "the crash noticed");
                }
                case 5 -> node(replication);
                default -> {
                }
            }
            assertThat(pages).as("a walk of 45 sessions in pages of 6 ends").isLessThan(60);
        } while (cursor != null);

        assertThat(seen).isEqualTo(ids); // with one backup, nothing was lost to one leave and one crash
    }

    @Test
    void lookupsAndWalksWhileMembersLeaveAndJoinAreWhole() throws Exception {
        JGroupsSessionStore a = node("primary-backup");
        JGroupsSessionStore b = node("primary-backup");
        JGroupsSessionStore c = node("primary-backup");
        Map<String, String> principalOf = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            String id = "busy-" + i;
            List.of(a, b, c).get(i % 3).write(create(id, NAMES.get(i % 3)));
            principalOf.put(id, NAMES.get(i % 3));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger rounds = new AtomicInteger();
        Thread asker = new Thread(() -> {
            while (!stop.get()) {
                try {
                    if (!walk(a, 9).equals(principalOf.keySet())) {
                        problems.add("a walk missed sessions");
                    }
                    assertAnswers(a, principalOf);
                    rounds.incrementAndGet();
                } catch (Throwable e) {
                    problems.add(e.toString());
                }
            }
        });
        asker.start();
        try {
            JGroupsTestNodes.await(Duration.ofSeconds(10), () -> rounds.get() >= 2, "questions asked");
            c.close(); // its sessions move to the members that back them up, while a asks
            members.forget(c);
            JGroupsTestNodes.await(Duration.ofSeconds(20), () -> settled(List.of(a, b), 40, "primary-backup"),
                    "c's sessions on a and b");
            int before = rounds.get();
            node("primary-backup"); // takes some over, while a asks
            JGroupsTestNodes.await(Duration.ofSeconds(20), () -> rounds.get() >= before + 3, "questions asked");
        } finally {
            stop.set(true);
            asker.join(30_000);
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "primary-backup"})
    void theIndexLeavesNothingBehindOnAnyMember(String replication) {
        JGroupsSessionStore a = node(replication);
        JGroupsSessionStore b = node(replication);
        JGroupsSessionStore c = node(replication);
        List<JGroupsSessionStore> three = List.of(a, b, c);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 9; i++) {
            three.get(i % 3).write(new ChangeSet("gone-" + i, true, now, now, i < 3 ? 1 : 1800, Map.of(), Set.of(),
                    PrincipalChange.to(NAMES.get(i % 3))));
        }
        assertThat(a.claimExpired(now + 1_100, 10)).hasSize(3);
        for (int i = 3; i < 6; i++) {
            assertThat(three.get(i % 3).delete("gone-" + i)).isTrue();
        }
        for (int i = 6; i < 9; i++) {
            assertThat(b.changeId("gone-" + i, "renamed-" + i)).isTrue();
            assertThat(c.write(new ChangeSet("renamed-" + i, false, now, now, 1800, Map.of(), Set.of(),
                    PrincipalChange.CLEARED))).isEqualTo(WriteResult.written(2));
        }

        for (JGroupsSessionStore n : three) {
            for (String name : NAMES) {
                assertThat(n.sessionsOf(name)).isEmpty();
            }
            assertThat(n.local().indexedNames()).as("names indexed on %s", n.channel().address()).isZero();
            assertThat(n.local().orderedIds()).isEqualTo(n.heldSessions());
        }
    }

    /** Every member answers the same, from wherever it asks: the ids of each name, and no others. */
    private static void assertAnswers(JGroupsSessionStore node, Map<String, String> principalOf) {
        Map<String, Set<String>> expected = new HashMap<>();
        principalOf.forEach((id, name) -> {
            if (name != null) {
                expected.computeIfAbsent(name, n -> new HashSet<>()).add(id);
            }
        });
        for (String name : List.of("alice", "bob", "carol", "ümlaut ✓", "nobody")) {
            assertThat(node.sessionsOf(name)).as("sessions of %s asked of %s", name, node.channel().address())
                    .isEqualTo(expected.getOrDefault(name, Set.of()));
        }
    }

    /** A member's index is exactly what the sessions it holds say, and its walk order holds each of them. */
    private static void assertIndexMatchesRecords(JGroupsSessionStore node) {
        Map<String, Set<String>> held = node.local().all().stream().filter(r -> r.principal() != null)
                .collect(Collectors.groupingBy(SessionRecord::principal,
                        Collectors.mapping(SessionRecord::id, Collectors.toSet())));
        for (Map.Entry<String, Set<String>> e : held.entrySet()) {
            assertThat(node.local().indexedIds(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(node.local().indexedNames()).isEqualTo(held.size());
        assertThat(node.local().orderedIds()).isEqualTo(node.heldSessions());
    }

    /** Whether each session is held by its owners only: everywhere (all), or on two members (primary-backup). */
    private static boolean settled(List<JGroupsSessionStore> members, int sessions, String replication) {
        int copies = replication.equals("all") ? members.size() : Math.min(2, members.size());
        return members.stream().mapToInt(JGroupsSessionStore::heldSessions).sum() == copies * sessions;
    }

    private static Set<String> walk(JGroupsSessionStore node, int limit) {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            SessionPage page = node.page(cursor, limit);
            page.sessions().stream().map(SessionSummary::id).forEach(seen::add);
            cursor = page.next();
            assertThat(++pages).isLessThan(1_000);
        } while (cursor != null);
        return seen;
    }

    private static ChangeSet create(String id, String principal) {
        long now = System.currentTimeMillis();
        return new ChangeSet(id, true, now, now, 1800, Map.of(), Set.of(),
                principal == null ? PrincipalChange.UNCHANGED : PrincipalChange.to(principal));
    }

    private static ChangeSet update(String id, PrincipalChange principal) {
        long now = System.currentTimeMillis();
        return new ChangeSet(id, false, now, now, 1800, Map.of(), Set.of(), principal);
    }
}
