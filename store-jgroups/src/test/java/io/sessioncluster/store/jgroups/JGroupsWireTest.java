package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.WriteResult;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The message format: round trips, and every kind of malformed input rejected with a clear reason. */
class JGroupsWireTest {

    private static final int MAX = 1 << 20;

    @Test
    void recordAndChangeSetRoundTrip() {
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        attributes.put("名前 😀", new byte[] {0, 1, (byte) 255});
        attributes.put("", new byte[0]);
        SessionRecord record = new SessionRecord("abc-_DEF", 7, 1, 2, 1800, attributes);
        ChangeSet change = new ChangeSet("abc", false, 1, 2, -1, attributes, Set.of("gone"));

        Wire.In in = new Wire.In(new Wire.Out(Kind.REPL_DELTA).record(record).change(change).bytes(), MAX);

        assertThat(in.kind).isEqualTo(Kind.REPL_DELTA);
        assertThat(in.record()).isEqualTo(record);
        assertThat(in.change()).isEqualTo(change);
        in.end();
    }

    @Test
    void rejectsAnEmptyOrUnknownFormat() {
        assertMalformed(new byte[0], "shorter than its header");
        assertMalformed(new byte[] {Wire.FORMAT + 1, Kind.GET}, "unknown format " + (Wire.FORMAT + 1));
        assertMalformed(new byte[] {1, Kind.GET}, "unknown format 1 (expected " + Wire.FORMAT + ")"); // before locks
    }

    @Test
    void rejectsOversizedMessagesBeforeReadingThem() {
        byte[] big = new byte[2000];
        big[0] = Wire.FORMAT;
        assertThatThrownBy(() -> new Wire.In(big, 1024)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("2000 bytes, larger than 1024");
    }

    @Test
    void rejectsTruncatedFieldsAndImpossibleCounts() {
        byte[] record = new Wire.Out(Kind.REPL_FULL).bool(true).record(new SessionRecord("id", 1, 1, 1, 1,
                Map.of("a", "b".getBytes(StandardCharsets.UTF_8)))).bytes();
        Wire.In truncated = new Wire.In(Arrays.copyOf(record, record.length - 1), MAX);
        truncated.bool();
        assertThatThrownBy(truncated::record).isInstanceOf(Wire.Malformed.class).hasMessageContaining("truncated");

        Wire.In count = new Wire.In(new Wire.Out(Kind.REPL_TOUCH).i32(Integer.MAX_VALUE).bytes(), MAX);
        assertThatThrownBy(() -> count.count(9)).isInstanceOf(Wire.Malformed.class).hasMessageContaining("exceeds");
        Wire.In negative = new Wire.In(new Wire.Out(Kind.REPL_TOUCH).i32(-1).bytes(), MAX);
        assertThatThrownBy(() -> negative.count(9)).isInstanceOf(Wire.Malformed.class);
    }

    @Test
    void rejectsMalformedIdsNamesBooleansAndVersions() {
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 3, 'a', '.', 'b'}, MAX).id())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("malformed session id");
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 0}, MAX).id())
                .isInstanceOf(Wire.Malformed.class);
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 0, 0, 0, 2, (byte) 0xc3, 0x28}, MAX).name())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 0x7f, 0, 0, 0}, MAX).name())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("attribute name of");
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 2}, MAX).bool())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("bad boolean");
        byte[] zeroVersion = new Wire.Out(Kind.REPL_FULL).id("x").i64(0).bytes();
        assertThatThrownBy(() -> new Wire.In(zeroVersion, MAX).record())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("version 0");
    }

    @Test
    void rejectsRepeatedAttributesAndTrailingBytes() {
        byte[] repeated = new Wire.Out(Kind.REPL_FULL).id("x").i64(1).i64(1).i64(1).i32(1).i32(2)
                .name("a").value(new byte[0]).name("a").value(new byte[0]).bytes();
        assertThatThrownBy(() -> new Wire.In(repeated, MAX).record()).hasMessageContaining("repeated");
        Wire.In trailing = new Wire.In(new Wire.Out(Kind.DELETE).id("x").i8(0).bytes(), MAX);
        trailing.id();
        assertThatThrownBy(trailing::end).hasMessageContaining("1 trailing bytes");
    }

    @Test
    void locksFencesAndLockAnswersRoundTrip() {
        UUID holder = UUID.randomUUID();
        List<LockState> states = List.of(LockState.NONE, new LockState(5, 0, null), new LockState(6, 30_000, holder),
                new LockState(Long.MAX_VALUE, Long.MAX_VALUE, null));
        List<Fence> fences = List.of(Fence.NONE, new Fence(3, false), new Fence(4, true));
        List<LockAttempt> attempts = List.of(LockAttempt.MISSING, new LockAttempt.Held(250),
                new LockAttempt.Granted(9, 12));
        Wire.Out out = new Wire.Out(Kind.R_LOCK);
        states.forEach(out::lock);
        fences.forEach(out::fence);
        attempts.forEach(out::attempt);

        Wire.In in = new Wire.In(out.bytes(), MAX);

        for (LockState state : states) {
            assertThat(in.lock()).isEqualTo(state);
        }
        for (Fence fence : fences) {
            assertThat(in.fence()).isEqualTo(fence);
        }
        for (LockAttempt attempt : attempts) {
            assertThat(in.attempt()).isEqualTo(attempt);
        }
        in.end();
    }

    @Test
    void rejectsImpossibleFences() {
        assertThatThrownBy(() -> in(new Wire.Out(Kind.WRITE).i64(-1).bool(false)).fence())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("fence of token -1");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.WRITE).i64(0).bool(true)).fence())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("fence of token 0 with release");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.WRITE).i64(1).i8(2)).fence())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("bad boolean");
        // A write of the format before locks: the change set without its fence.
        Wire.In old = in(new Wire.Out(Kind.WRITE).change(new ChangeSet("abc", false, 1, 2, 60, Map.of(), Set.of())));
        old.change();
        assertThatThrownBy(old::fence).isInstanceOf(Wire.Malformed.class).hasMessageContaining("truncated");
    }

    @Test
    void rejectsImpossibleLockStates() {
        assertThatThrownBy(() -> in(new Wire.Out(Kind.REPL_LOCK).i64(-2).i64(0).bool(false)).lock())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("lock state");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.REPL_LOCK).i64(3).i64(-1).bool(false)).lock())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("lock state");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.REPL_LOCK).i64(0).i64(500).bool(false)).lock())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("a lease without a token");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.REPL_LOCK).i64(3).i64(0).bool(true).i64(1).i64(2)).lock())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("a holder without a lease");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.REPL_LOCK).i64(3).i64(10).bool(true).i64(1)).lock())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.REPL_LOCK).i64(3).i64(10).i8(7)).lock())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("bad boolean");
    }

    @Test
    void rejectsImpossibleLockAnswersAndRequests() {
        assertThatThrownBy(() -> in(new Wire.Out(Kind.R_LOCK).i8(3)).attempt())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("unknown lock answer");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.R_LOCK).i8(1).i64(0)).attempt())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("remaining lease 0");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.R_LOCK).i8(2).i64(-4).i64(1)).attempt())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("token -4");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.R_LOCK).i8(2).i64(4).i64(0)).attempt())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("version 0");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.R_LOCK).i8(2).i64(4)).attempt())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("truncated");

        Wire.In lease = in(new Wire.Out(Kind.LOCK).id("abc").i64(0));
        lease.id();
        assertThatThrownBy(() -> lease.positive("lease")).isInstanceOf(Wire.Malformed.class).hasMessageContaining("lease 0");
        Wire.In time = in(new Wire.Out(Kind.UNLOCK).i64(-1));
        assertThatThrownBy(time::time).isInstanceOf(Wire.Malformed.class).hasMessageContaining("access time -1");
    }

    @Test
    void clockAnswersRoundTripAndMalformedOnesAreRefused() {
        assertThat(ClusterClock.read(new Wire.Out(Kind.R_TIME).i64(1_700_000_000_123L).bytes(), MAX))
                .isEqualTo(1_700_000_000_123L);
        ClusterClock clock = new ClusterClock(() -> null, () -> null, null, () -> 42, 100, MAX);
        assertThat(ClusterClock.read(clock.answer(in(new Wire.Out(Kind.TIME))), MAX)).isEqualTo(42);

        assertClockRefused(null, "shorter than its header");
        assertClockRefused(new byte[] {1, Kind.R_TIME, 0, 0, 0, 0, 0, 0, 0, 9}, "unknown format 1");
        assertClockRefused(new Wire.Out(Kind.R_ACK).bytes(), "unexpected answer " + Kind.R_ACK + " to TIME");
        assertClockRefused(new Wire.Out(Kind.R_TIME).bytes(), "truncated");
        assertClockRefused(new Wire.Out(Kind.R_TIME).i32(7).bytes(), "truncated");
        assertClockRefused(new Wire.Out(Kind.R_TIME).i64(0).bytes(), "clock reading 0");
        assertClockRefused(new Wire.Out(Kind.R_TIME).i64(-5).bytes(), "clock reading -5");
        assertClockRefused(new Wire.Out(Kind.R_TIME).i64(5).i8(0).bytes(), "1 trailing bytes");
        assertThatThrownBy(() -> clock.answer(in(new Wire.Out(Kind.TIME).i8(1))))
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("1 trailing bytes");
    }

    @Test
    void partitionAnswersRoundTripAndMalformedOnesAreRefused() {
        UUID present = UUID.randomUUID();
        UUID absent = UUID.randomUUID();
        byte[] good = new Wire.Out(Kind.R_MEMBERS).i32(2).member(present).member(absent).i32(1).member(absent)
                .i64(5_000).bytes();
        PartitionGuard joiner = new PartitionGuard(60_000, () -> 0, "/test");
        joiner.viewAccepted(org.jgroups.View.create(present, 1, present));
        joiner.learn(List.of(good), MAX);
        assertThat(joiner.partitioned()).isTrue();

        assertMembersRefused(new Wire.Out(Kind.R_ACK), "unexpected answer " + Kind.R_ACK + " to MEMBERS");
        assertMembersRefused(new Wire.Out(Kind.R_MEMBERS).i32(1000).i32(0), "exceeds the message");
        assertMembersRefused(new Wire.Out(Kind.R_MEMBERS).i32(1).member(present).i32(1).member(absent).i64(1),
                "not in the last full view");
        assertMembersRefused(new Wire.Out(Kind.R_MEMBERS).i32(1).member(absent).i32(1).member(absent).i64(0),
                "absence 0");
        assertMembersRefused(new Wire.Out(Kind.R_MEMBERS).i32(1).member(absent).i32(1).member(absent).i64(9).i8(0),
                "1 trailing bytes");
        assertMembersRefused(new Wire.Out(Kind.R_MEMBERS).i32(1).member(present), "truncated");
    }

    @Test
    void principalsTravelAsATrailerThatMessagesWithoutOneDoNotHave() {
        String longest = "😀".repeat(PrincipalChange.MAX_NAME_LENGTH / 2); // 256 characters, 512 bytes
        SessionRecord plain = new SessionRecord("abc", 3, 1, 2, 60, Map.of("a", new byte[] {1}));
        SessionRecord indexed = Wire.withPrincipal(plain, "alice");
        LockState lock = new LockState(4, 0, null);

        byte[] without = new Wire.Out(Kind.REPL_FULL).bool(true).record(plain).lock(lock).principalTail(null).bytes();
        assertThat(without).isEqualTo(new Wire.Out(Kind.REPL_FULL).bool(true).record(plain).lock(lock).bytes());
        Wire.In in = new Wire.In(without, MAX);
        in.bool();
        SessionRecord read = in.record();
        in.lock();
        assertThat(Wire.withPrincipal(read, in.principalTail())).isEqualTo(plain);
        in.end();

        Wire.In with = in(new Wire.Out(Kind.REPL_FULL).bool(true).record(indexed).lock(lock)
                .principalTail(indexed.principal()));
        with.bool();
        read = with.record();
        with.lock();
        assertThat(Wire.withPrincipal(read, with.principalTail())).isEqualTo(indexed)
                .extracting(SessionRecord::principal).isEqualTo("alice");
        with.end();

        ChangeSet change = new ChangeSet("abc", false, 1, 2, 60, Map.of(), Set.of("gone"));
        for (PrincipalChange p : List.of(PrincipalChange.UNCHANGED, PrincipalChange.CLEARED, PrincipalChange.to("bob"),
                PrincipalChange.to(longest), PrincipalChange.to("'; drop table x; --"))) {
            Wire.In write = in(new Wire.Out(Kind.WRITE).change(change).fence(Fence.NONE).principalChangeTail(p));
            ChangeSet c = write.change();
            write.fence();
            assertThat(Wire.withPrincipal(c, write.principalChangeTail())).isEqualTo(change.withPrincipal(p));
            write.end();
        }
        assertThat(new Wire.Out(Kind.WRITE).change(change).fence(Fence.NONE)
                .principalChangeTail(PrincipalChange.UNCHANGED).bytes())
                .isEqualTo(new Wire.Out(Kind.WRITE).change(change).fence(Fence.NONE).bytes());

        List<SessionSummary> summaries = List.of(new SessionSummary("a", 1, 2, 3, null),
                new SessionSummary("b-_C", 4, 5, -1, longest));
        Wire.Out page = new Wire.Out(Kind.R_PAGE);
        summaries.forEach(page::summary);
        Wire.In pageIn = in(page);
        for (SessionSummary summary : summaries) {
            assertThat(pageIn.summary()).usingRecursiveComparison().isEqualTo(summary);
        }
        pageIn.end();
    }

    @Test
    void statePagesCarryPrincipalsOnlyWhenARecordHasOne() {
        SessionRecord plain = new SessionRecord("a1", 1, 1, 1, 60, Map.of());
        SessionRecord indexed = new SessionRecord("b2", 2, 1, 1, 60, Map.of(), "carol");
        byte[] old = new Wire.Out(Kind.R_STATE).bool(true).bool(false).i32(1).record(plain).lock(LockState.NONE)
                .i32(1).id("gone").i64(99).bytes();
        StateTransfer.Page page = StateTransfer.read(old, MAX);
        assertThat(page.records()).containsExactly(plain);
        assertThat(page.tombstones()).containsEntry("gone", 99L);

        byte[] withNames = new Wire.Out(Kind.R_STATE).bool(true).bool(true).i32(2).record(plain).lock(LockState.NONE)
                .record(indexed).lock(LockState.NONE).i32(0).i32(2).principal(null).principal("carol").bytes();
        assertThat(StateTransfer.read(withNames, MAX).records()).containsExactly(plain, indexed);

        byte[] short1 = new Wire.Out(Kind.R_STATE).bool(true).bool(false).i32(2).record(plain).lock(LockState.NONE)
                .record(indexed).lock(LockState.NONE).i32(0).i32(1).principal("carol").bytes();
        assertThatThrownBy(() -> StateTransfer.read(short1, MAX)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("not one per record");
        byte[] truncated = new Wire.Out(Kind.R_STATE).bool(true).bool(false).i32(1).record(plain).lock(LockState.NONE)
                .i32(0).i32(1).bytes();
        assertThatThrownBy(() -> StateTransfer.read(truncated, MAX)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("truncated");
        byte[] badTag = new Wire.Out(Kind.R_STATE).bool(true).bool(false).i32(1).record(plain).lock(LockState.NONE)
                .i32(0).i32(1).i8(7).bytes();
        assertThatThrownBy(() -> StateTransfer.read(badTag, MAX)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("unknown principal tag");
    }

    @Test
    void rejectsMalformedPrincipals() {
        assertPrincipalRefused(new Wire.Out(Kind.WRITE).i8(2), "unknown principal tag");
        assertPrincipalRefused(new Wire.Out(Kind.WRITE).i8(1).i32(0), "principal name of 0 bytes");
        assertPrincipalRefused(new Wire.Out(Kind.WRITE).i8(1).i32(-1), "principal name of -1 bytes");
        assertPrincipalRefused(new Wire.Out(Kind.WRITE).i8(1).i32(Wire.MAX_PRINCIPAL_BYTES + 1),
                "principal name of " + (Wire.MAX_PRINCIPAL_BYTES + 1) + " bytes");
        assertPrincipalRefused(new Wire.Out(Kind.WRITE).i8(1).name("a".repeat(PrincipalChange.MAX_NAME_LENGTH + 1)),
                "principal name of 257 characters");
        assertPrincipalRefused(new Wire.Out(Kind.WRITE).i8(1).i32(2).i8(0xc3).i8(0x28), "principal name is not UTF-8");
        assertPrincipalRefused(new Wire.Out(Kind.WRITE).i8(1).i32(5).i8('a'), "truncated");
        assertPrincipalRefused(new Wire.Out(Kind.WRITE).i8(1), "truncated");

        // A name UTF-8 cannot carry unchanged (an unpaired surrogate) never leaves: it would arrive as another name.
        for (String unpaired : List.of("\uD800", "a\uDC00b", "ab\uD83D")) {
            assertThat(Wire.isWellFormedUtf16(unpaired)).as(unpaired).isFalse();
            assertThatThrownBy(() -> new Wire.Out(Kind.WRITE).principal(unpaired))
                    .isInstanceOf(io.sessioncluster.core.store.StoreException.class)
                    .hasMessageContaining("unpaired surrogate").hasMessageNotContaining(unpaired);
        }
        assertThat(Wire.isWellFormedUtf16("😀 ümlaut")).isTrue();

        Wire.In trailing = in(new Wire.Out(Kind.WRITE).principal("alice").i8(0));
        trailing.principalChangeTail();
        assertThatThrownBy(trailing::end).isInstanceOf(Wire.Malformed.class).hasMessageContaining("1 trailing bytes");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.R_PAGE).id("a").i64(1).i64(1).i32(1).i8(3)).summary())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("unknown principal tag");
        assertThatThrownBy(() -> in(new Wire.Out(Kind.SESSIONS_OF).i32(0)).principalName())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("principal name of 0 bytes");
    }

    @Test
    void aMalformedPrincipalChangesNothingAtTheOwnerOrACopy() {
        UUID self = UUID.randomUUID();
        Topology topology = new Topology(self, List.of(self), List.of(self), Replication.ALL, 0);
        LocalSessions local = new LocalSessions(60_000, () -> 1_000, new LockTable(() -> 0));
        OwnerSide owner = new OwnerSide(local, () -> topology, new NoCopies(), null, (id, origin) -> { }, 1_000,
                id -> true);
        ChangeSet create = new ChangeSet("abc", true, 1, 1, 60, Map.of(), Set.of(), PrincipalChange.to("alice"));
        byte[] answer = owner.handle(self, in(new Wire.Out(Kind.WRITE).change(create).fence(Fence.NONE)
                .principalChangeTail(create.principal())));
        Wire.In written = new Wire.In(answer, MAX);
        assertThat(written.i8()).isEqualTo(WriteResult.Status.WRITTEN.ordinal());

        ChangeSet update = new ChangeSet("abc", false, 1, 2, 60, Map.of("x", new byte[] {1}), Set.of());
        Wire.Out tooLong = new Wire.Out(Kind.WRITE).change(update).fence(Fence.NONE).i8(1)
                .name("b".repeat(PrincipalChange.MAX_NAME_LENGTH + 1));
        assertThatThrownBy(() -> owner.handle(self, in(tooLong))).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("257 characters");
        Wire.Out badTag = new Wire.Out(Kind.REPL_DELTA).i64(2).change(update).lock(LockState.NONE).i8(9);
        assertThatThrownBy(() -> new ReplicaSide(local).answer(in(badTag))).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("unknown principal tag");
        Wire.Out badFull = new Wire.Out(Kind.REPL_FULL).bool(true)
                .record(new SessionRecord("abc", 5, 1, 1, 60, Map.of())).lock(LockState.NONE).i8(1).i32(0);
        assertThatThrownBy(() -> new ReplicaSide(local).answer(in(badFull))).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("principal name of 0 bytes");

        assertThat(local.get("abc")).map(SessionRecord::version).isEqualTo(Optional.of(1L));
        assertThat(local.get("abc").orElseThrow().principal()).isEqualTo("alice");
        assertThat(local.indexedIds("alice")).containsExactly("abc");
        assertThat(local.indexedNames()).isEqualTo(1);
    }

    /** A member alone: nothing to replicate to. */
    private static final class NoCopies implements OwnerSide.Replicator {
        @Override
        public void delta(Topology t, ChangeSet c, SessionRecord result, LockState lock) {
        }

        @Override
        public void full(Topology t, SessionRecord r, LockState lock) {
        }

        @Override
        public void lock(Topology t, SessionRecord r, LockState lock, long accessedTime) {
        }

        @Override
        public void remove(Topology t, String id) {
        }

        @Override
        public void send(org.jgroups.Address target, byte[] body) {
        }
    }

    private static void assertPrincipalRefused(Wire.Out trailer, String reason) {
        assertThatThrownBy(() -> in(trailer).principalChangeTail()).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining(reason);
        assertThatThrownBy(() -> in(trailer).principalTail()).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining(reason);
    }

    private static void assertClockRefused(byte[] answer, String reason) {
        assertThatThrownBy(() -> ClusterClock.read(answer, MAX)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining(reason);
    }

    /** A malformed answer changes nothing: the joiner still sees no partition. */
    private static void assertMembersRefused(Wire.Out answer, String reason) {
        PartitionGuard joiner = new PartitionGuard(60_000, () -> 0, "/test");
        UUID self = UUID.randomUUID();
        joiner.viewAccepted(org.jgroups.View.create(self, 1, self));
        byte[] good = new Wire.Out(Kind.R_MEMBERS).i32(1).member(self).i32(0).bytes();
        assertThatThrownBy(() -> joiner.learn(List.of(good, answer.bytes()), MAX)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining(reason);
        assertThat(joiner.partitioned()).isFalse();
    }

    private static Wire.In in(Wire.Out out) {
        return new Wire.In(out.bytes(), MAX);
    }

    private static void assertMalformed(byte[] message, String reason) {
        assertThatThrownBy(() -> new Wire.In(message, MAX)).isInstanceOf(Wire.Malformed.class).hasMessageContaining(reason);
    }
}
