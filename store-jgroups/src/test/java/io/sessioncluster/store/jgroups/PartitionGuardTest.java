package io.sessioncluster.store.jgroups;

import org.jgroups.Address;
import org.jgroups.MergeView;
import org.jgroups.View;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition rule alone, on made-up views: while a member of the last full view is absent, each session may
 * expire on exactly one side (the side of its primary in that view), whatever joins or says goodbye meanwhile; a
 * goodbye, the merge and {@code tombstoneSeconds} of absence end it.
 */
class PartitionGuardTest {

    private static final long ABSENT_MILLIS = 60_000;
    private static final int MAX = 1 << 20;
    private static final List<String> IDS = IntStream.range(0, 2_000).mapToObj(i -> "session-" + i).toList();

    private final AtomicLong clock = new AtomicLong(1_000);
    private final List<Address> sideA = members(3);
    private final List<Address> sideB = members(2);
    private final List<Address> full = concat(sideA, sideB);
    private long viewIds = 1;

    @Test
    void everySessionMayExpireWhileNobodyIsAbsent() {
        PartitionGuard guard = guard(full);

        assertThat(guard.partitioned()).isFalse();
        assertThat(IDS).allMatch(guard::mayExpire);
    }

    @Test
    void exactlyOneSideOfAPartitionMayExpireEachSessionTheSideOfItsOwner() {
        PartitionGuard a = side(sideA);
        PartitionGuard b = side(sideB);
        Topology before = new Topology(full.get(0), full, full, Replication.ALL, 0);

        assertThat(a.partitioned()).isTrue();
        for (String id : IDS) {
            assertThat(a.mayExpire(id)).as(id).isNotEqualTo(b.mayExpire(id));
            assertThat(a.mayExpire(id)).as(id).isEqualTo(sideA.contains(before.primary(id)));
        }
        assertThat(IDS).anyMatch(a::mayExpire).anyMatch(b::mayExpire);
    }

    @Test
    void membersJoiningOneSideMeanwhileMoveNoDecision() {
        PartitionGuard a = side(sideA);
        PartitionGuard b = side(sideB);
        List<Address> joined = concat(sideA, members(2));
        a.viewAccepted(view(joined));

        // A member joining side A learns the last full view from the members it joins; without that, it would rank
        // sessions by its own view and claim some that side B claims too.
        PartitionGuard joiner = guard(joined);
        PartitionGuard uninformed = guard(joined);
        joiner.learn(List.of(a.describe(), a.describe()), MAX);

        assertThat(joiner.partitioned()).isTrue();
        for (String id : IDS) {
            assertThat(a.mayExpire(id)).as(id).isNotEqualTo(b.mayExpire(id));
            assertThat(joiner.mayExpire(id)).as(id).isEqualTo(a.mayExpire(id));
        }
        assertThat(IDS).anyMatch(id -> uninformed.mayExpire(id) && b.mayExpire(id));
    }

    @Test
    void aJoinerLearnsNothingWhenNobodyIsAbsentOrFromAMemberOfAnOlderVersion() {
        PartitionGuard joiner = guard(full);
        joiner.learn(java.util.Arrays.asList(guard(full).describe(), null), MAX);

        assertThat(joiner.partitioned()).isFalse();
        assertThat(IDS).allMatch(joiner::mayExpire);
    }

    @Test
    void aMemberThatSaidGoodbyeIsGoneNotAbsent() {
        PartitionGuard before = guard(full);
        before.leaving(sideB.get(0));
        before.viewAccepted(view(without(full, sideB.get(0))));
        assertThat(before.partitioned()).isFalse();
        assertThat(IDS).allMatch(before::mayExpire);

        PartitionGuard after = guard(full); // its goodbye arrives after the view
        after.viewAccepted(view(without(full, sideB.get(1))));
        assertThat(after.partitioned()).isTrue();
        after.leaving(sideB.get(1));
        assertThat(after.partitioned()).isFalse();
        assertThat(IDS).allMatch(after::mayExpire);
    }

    @Test
    void aGoodbyeHeardOnOneSideOnlyNeverLetsBothSidesClaimASession() {
        PartitionGuard a = side(sideA);
        PartitionGuard b = side(sideB);
        Address leaver = sideA.get(2);
        a.leaving(leaver);
        a.viewAccepted(view(without(sideA, leaver))); // B keeps it absent: it heard nothing

        assertThat(IDS).noneMatch(id -> a.mayExpire(id) && b.mayExpire(id));
        assertThat(IDS).anyMatch(a::mayExpire).anyMatch(b::mayExpire);
    }

    @Test
    void aMemberAbsentLongerThanTheLimitIsTakenForCrashed() {
        PartitionGuard a = side(sideA);
        assertThat(IDS).anyMatch(id -> !a.mayExpire(id));

        clock.addAndGet(ABSENT_MILLIS - 1);
        assertThat(IDS).anyMatch(id -> !a.mayExpire(id));
        clock.addAndGet(1);
        assertThat(a.partitioned()).isFalse();
        assertThat(IDS).allMatch(a::mayExpire);
    }

    @Test
    void theMergeEndsIt() {
        PartitionGuard a = side(sideA);
        a.viewAccepted(new MergeView(full.get(0), viewIds++, full, List.of(view(sideA), view(sideB))));

        assertThat(a.partitioned()).isFalse();
        assertThat(IDS).allMatch(a::mayExpire);
    }

    /** A member of the full view that then saw only {@code side}. */
    private PartitionGuard side(List<Address> side) {
        PartitionGuard guard = guard(full);
        guard.viewAccepted(view(side));
        return guard;
    }

    private PartitionGuard guard(List<Address> firstView) {
        PartitionGuard guard = new PartitionGuard(ABSENT_MILLIS, clock::get, "/test");
        guard.viewAccepted(view(firstView));
        return guard;
    }

    private View view(List<Address> members) {
        return View.create(members.get(0), viewIds++, members);
    }

    private static List<Address> members(int n) {
        List<Address> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(UUID.randomUUID());
        }
        return members;
    }

    private static List<Address> concat(List<Address> first, List<Address> second) {
        List<Address> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<Address> without(List<Address> members, Address gone) {
        List<Address> rest = new ArrayList<>(members);
        rest.remove(gone);
        return rest;
    }
}
