package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The walk's and the lookup's parts that need no network: the cursor, a member's answer (its own sessions, for the
 * asker's view only), and the page the asker makes of the members' slices.
 */
class SessionWalkTest {

    private static final int MAX = 1 << 20;
    private static final long VIEW = 7;

    private final UUID self = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final Topology two = new Topology(self, List.of(self, other), List.of(self, other),
            Replication.PRIMARY_BACKUP, 1, VIEW);
    private final LocalSessions local = new LocalSessions(60_000, () -> 1_000, new LockTable(() -> 0));
    private final AtomicBoolean syncing = new AtomicBoolean();
    private final SessionWalk walk = new SessionWalk(local, () -> two, null, () -> false, syncing::get, MAX);
    private final PrincipalLookup lookup = new PrincipalLookup(local, () -> two, null, () -> 1_000, () -> false,
            syncing::get);

    @Test
    void cursorsAreThisStoresOnly() {
        assertThat(WalkCursor.lastId(null)).isNull();
        assertThat(WalkCursor.lastId(WalkCursor.after("abc-_Z9"))).isEqualTo("abc-_Z9");
        for (String bad : List.of("", "abc", "jg1.", "jg1.a.b", "jg1.a b", "jg2.abc", "JG1.abc", "jg1." + "a".repeat(129),
                "\u0000", "-1:abc")) {
            assertThatThrownBy(() -> WalkCursor.lastId(bad)).as("cursor [%s]", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a cursor of this JGroups")
                    .hasMessageNotContaining("a".repeat(10));
        }
    }

    @Test
    void aMemberAnswersForTheSessionsItOwnsInIdOrder() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "s" + i;
            local.put(new SessionRecord(id, 1, 1, 1, 60, Map.of(), "alice"));
            if (two.isPrimary(id)) {
                mine.add(id);
            }
        }
        mine.sort(null);
        assertThat(mine).hasSizeBetween(5, 35); // the other member owns the rest (and this one backs them up)

        SessionWalk.Slice first = readPage(walk.answer(page(VIEW, null, 3)));
        assertThat(first.sessions()).extracting(SessionSummary::id).containsExactlyElementsOf(mine.subList(0, 3));
        assertThat(first.more()).isTrue();
        SessionWalk.Slice rest = readPage(walk.answer(page(VIEW, mine.get(2), 1_000)));
        assertThat(rest.sessions()).extracting(SessionSummary::id)
                .containsExactlyElementsOf(mine.subList(3, mine.size()));
        assertThat(rest.more()).isFalse();

        Wire.In ids = new Wire.In(lookup.answer(sessionsOf(VIEW, "alice", 1_000)), MAX);
        assertThat(ids.kind).isEqualTo(Kind.R_IDS);
        List<String> answered = IntStream.range(0, ids.count(2)).mapToObj(i -> ids.id()).sorted().toList();
        assertThat(answered).isEqualTo(mine);
        Wire.In expired = new Wire.In(lookup.answer(sessionsOf(VIEW, "alice", 61_001)), MAX);
        assertThat(expired.count(2)).isZero();
    }

    @Test
    void aNameThatCannotBeIndexedIsAnsweredWithoutAQuestion() {
        // everyMember is null here: asking anyone would fail
        for (String name : new String[] {null, "", "x".repeat(257), "\uD800"}) {
            assertThat(lookup.sessionsOf(name)).isEmpty();
        }
    }

    @Test
    void aMemberInAnotherViewOrCatchingUpAfterAMergeAnswersRetry() {
        local.put(new SessionRecord("s1", 1, 1, 1, 60, Map.of(), "alice"));
        assertThat(new Wire.In(walk.answer(page(VIEW - 1, null, 10)), MAX).kind).isEqualTo(Kind.R_RETRY);
        assertThat(new Wire.In(walk.answer(page(VIEW + 1, null, 10)), MAX).kind).isEqualTo(Kind.R_RETRY);
        assertThat(new Wire.In(lookup.answer(sessionsOf(VIEW + 1, "alice", 1)), MAX).kind).isEqualTo(Kind.R_RETRY);
        syncing.set(true);
        assertThat(new Wire.In(walk.answer(page(VIEW, null, 10)), MAX).kind).isEqualTo(Kind.R_RETRY);
        assertThat(new Wire.In(lookup.answer(sessionsOf(VIEW, "alice", 1)), MAX).kind).isEqualTo(Kind.R_RETRY);
    }

    @Test
    void malformedQuestionsAreRefused() {
        for (int limit : new int[] {0, -1, 1_001}) {
            assertThatThrownBy(() -> walk.answer(page(VIEW, null, limit))).isInstanceOf(Wire.Malformed.class)
                    .hasMessageContaining("page of " + limit + " sessions");
        }
        assertThatThrownBy(() -> walk.answer(new Wire.In(new Wire.Out(Kind.PAGE).i64(VIEW).bool(true).id("a").i32(5)
                .i8(0).bytes(), MAX))).isInstanceOf(Wire.Malformed.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> lookup.answer(new Wire.In(new Wire.Out(Kind.SESSIONS_OF).i64(VIEW)
                .name("x".repeat(257)).i64(1).bytes(), MAX))).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("257 characters");
        assertThatThrownBy(() -> lookup.answer(new Wire.In(new Wire.Out(Kind.SESSIONS_OF).i64(VIEW)
                .principalName("alice").i64(-1).bytes(), MAX))).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("access time -1");
    }

    @Test
    void thePageOfTheMembersSlicesNeverPassesASessionItLeavesOut() {
        // a has more after its slice: the page must stop before anything a has not shown.
        SessionWalk.Slice a = slice(true, "b", "d", "f");
        SessionWalk.Slice b = slice(false, "a", "c", "g");
        SessionPage page = SessionWalk.merge(List.of(a, b), 3);
        assertThat(page.sessions()).extracting(SessionSummary::id).containsExactly("a", "b", "c");
        assertThat(WalkCursor.lastId(page.next())).isEqualTo("c");

        SessionPage fits = SessionWalk.merge(List.of(slice(false, "b"), slice(false, "a", "b"), slice(false)), 3);
        assertThat(fits.sessions()).extracting(SessionSummary::id).containsExactly("a", "b");
        assertThat(fits.isLast()).isTrue();

        SessionPage full = SessionWalk.merge(List.of(slice(false, "a", "b"), slice(false, "c", "d")), 3);
        assertThat(full.sessions()).extracting(SessionSummary::id).containsExactly("a", "b", "c");
        assertThat(WalkCursor.lastId(full.next())).isEqualTo("c");

        assertThat(SessionWalk.merge(List.of(slice(false), slice(false)), 3).isLast()).isTrue();

        // A slice cut short by the message size: nothing past its last id, whatever the others sent.
        SessionPage cut = SessionWalk.merge(List.of(slice(true, "b", "e"), slice(false, "a", "c", "d", "f", "g")), 5);
        assertThat(cut.sessions()).extracting(SessionSummary::id).containsExactly("a", "b", "c", "d", "e");
        SessionPage cutEarly = SessionWalk.merge(List.of(slice(true, "c"), slice(true, "a", "b", "d", "e")), 4);
        assertThat(cutEarly.sessions()).extracting(SessionSummary::id).containsExactly("a", "b", "c");
        assertThat(WalkCursor.lastId(cutEarly.next())).isEqualTo("c");
    }

    @Test
    void aMemberCutsItsSliceToTheMessageSize() {
        Topology alone = new Topology(self, List.of(self), List.of(self), Replication.PRIMARY_BACKUP, 1, VIEW);
        SessionWalk small = new SessionWalk(local, () -> alone, null, () -> false, syncing::get, 1_024);
        for (int i = 0; i < 30; i++) {
            local.put(new SessionRecord("id-" + (100 + i), 1, 1, 1, 60, Map.of(), "a name of some length " + i));
        }
        byte[] answer = small.answer(page(VIEW, null, 1_000));
        assertThat(answer.length).isLessThanOrEqualTo(1_024);
        SessionWalk.Slice slice = readPage(answer);
        assertThat(slice.more()).isTrue();
        assertThat(slice.sessions()).hasSizeBetween(5, 29);

        List<String> seen = new ArrayList<>();
        String after = null;
        SessionWalk.Slice next;
        do {
            next = readPage(small.answer(page(VIEW, after, 1_000)), after, 1_000);
            next.sessions().forEach(s -> seen.add(s.id()));
            after = seen.get(seen.size() - 1);
        } while (next.more());
        assertThat(seen).hasSize(30).isSorted();
    }

    @Test
    void anAnswerOutOfOrderOrLongerThanThePageIsMalformed() {
        Wire.Out unordered = new Wire.Out(Kind.R_PAGE).bool(false).i32(2)
                .summary(new SessionSummary("b", 1, 1, 1, null)).summary(new SessionSummary("a", 1, 1, 1, null));
        assertThatThrownBy(() -> readPage(unordered.bytes())).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("out of id order");
        Wire.Out notAfter = new Wire.Out(Kind.R_PAGE).bool(false).i32(1).summary(new SessionSummary("a", 1, 1, 1, null));
        assertThatThrownBy(() -> readPage(notAfter.bytes(), "a", 10)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("out of id order");
        Wire.Out tooMany = new Wire.Out(Kind.R_PAGE).bool(false).i32(2)
                .summary(new SessionSummary("a", 1, 1, 1, null)).summary(new SessionSummary("b", 1, 1, 1, null));
        assertThatThrownBy(() -> readPage(tooMany.bytes(), null, 1)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("2 sessions on a page of 1");
        Wire.Out moreOfNothing = new Wire.Out(Kind.R_PAGE).bool(true).i32(0);
        assertThatThrownBy(() -> readPage(moreOfNothing.bytes())).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("0 sessions on a page of 1000, more after them");
    }

    private static SessionWalk.Slice slice(boolean more, String... ids) {
        return new SessionWalk.Slice(List.of(ids).stream().map(id -> new SessionSummary(id, 1, 1, 1, null)).toList(),
                more);
    }

    private static Wire.In page(long view, String after, int limit) {
        Wire.Out out = new Wire.Out(Kind.PAGE).i64(view).bool(after != null);
        if (after != null) {
            out.id(after);
        }
        return new Wire.In(out.i32(limit).bytes(), MAX);
    }

    private static Wire.In sessionsOf(long view, String name, long now) {
        return new Wire.In(new Wire.Out(Kind.SESSIONS_OF).i64(view).principalName(name).i64(now).bytes(), MAX);
    }

    private static SessionWalk.Slice readPage(byte[] answer) {
        return readPage(answer, null, 1_000);
    }

    private static SessionWalk.Slice readPage(byte[] answer, String after, int limit) {
        Wire.In in = new Wire.In(answer, MAX);
        assertThat(in.kind).isEqualTo(Kind.R_PAGE);
        return SessionWalk.read(in, after, limit);
    }
}
