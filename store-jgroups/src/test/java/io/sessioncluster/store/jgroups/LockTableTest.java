package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.LockAttempt;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The lock table's decisions and merge rules, on a clock the test moves. */
class LockTableTest {

    private final AtomicLong clock = new AtomicLong(-5_000); // a monotonic clock may be negative
    private final LockTable table = new LockTable(clock::get);
    private final Address a = UUID.randomUUID();
    private final Address b = UUID.randomUUID();

    @Test
    void grantsWithGrowingTokensAndHoldsUntilTheLeaseRunsOut() {
        assertThat(table.tryGrant("s", 1_000, a, 7)).isEqualTo(new LockAttempt.Granted(1, 7));
        clock.addAndGet(400);
        assertThat(table.tryGrant("s", 1_000, b, 7)).isEqualTo(new LockAttempt.Held(600));
        assertThat(table.tryGrant("s", 1_000, a, 7)).as("the holder asking again").isEqualTo(new LockAttempt.Held(600));
        clock.addAndGet(600);
        assertThat(table.tryGrant("s", 1_000, b, 8)).isEqualTo(new LockAttempt.Granted(2, 8));
        assertThat(table.isLatest("s", 2)).isTrue();
        assertThat(table.isLatest("s", 1)).isFalse();
        assertThat(table.isLatest("other", 1)).isFalse();
    }

    @Test
    void releaseAndRenewNeedTheLatestToken() {
        table.tryGrant("s", 1_000, a, 1);
        assertThat(table.renew("s", 2, 5_000, a)).isFalse();
        assertThat(table.renew("s", 1, 5_000, a)).isTrue();
        clock.addAndGet(4_000);
        assertThat(table.tryGrant("s", 1_000, b, 1)).isEqualTo(new LockAttempt.Held(1_000));
        assertThat(table.release("s", 2)).isFalse();
        assertThat(table.release("s", 1)).isTrue();
        assertThat(table.release("s", 1)).as("once").isFalse();
        assertThat(table.state("s")).isEqualTo(new LockState(1, 0, null));
        assertThat(table.tryGrant("s", 1_000, b, 1)).isEqualTo(new LockAttempt.Granted(2, 1));
    }

    @Test
    void theStateTravelsAsTheRemainingLeaseAndIsReBasedOnTheReceiversClock() {
        table.tryGrant("s", 1_000, a, 1);
        clock.addAndGet(300);
        assertThat(table.state("s")).isEqualTo(new LockState(1, 700, a));
        AtomicLong otherClock = new AtomicLong(123_456_789);
        LockTable copy = new LockTable(otherClock::get);
        copy.fromOwner("s", table.state("s"));
        assertThat(copy.state("s")).isEqualTo(new LockState(1, 700, a));
        otherClock.addAndGet(700);
        assertThat(copy.state("s")).as("ran out: no holder left").isEqualTo(new LockState(1, 0, null));
        assertThat(copy.tryGrant("s", 1_000, b, 1)).isEqualTo(new LockAttempt.Granted(2, 1));
        assertThat(table.state("never")).isEqualTo(LockState.NONE);
    }

    @Test
    void theOwnersWordIsTakenUnlessALaterTokenIsKnown() {
        table.fromOwner("s", new LockState(3, 1_000, a));
        table.fromOwner("s", new LockState(2, 5_000, b)); // late
        assertThat(table.state("s")).isEqualTo(new LockState(3, 1_000, a));
        table.fromOwner("s", new LockState(3, 0, null)); // the release of that grant
        assertThat(table.state("s")).isEqualTo(new LockState(3, 0, null));
        table.fromOwner("s", LockState.NONE);
        assertThat(table.state("s").token()).isEqualTo(3);
        assertThat(table.tryGrant("s", 1_000, b, 1)).isEqualTo(new LockAttempt.Granted(4, 1));
    }

    @Test
    void aMergeKeepsTheLaterTokenAndTheLongerLease() {
        table.fromOwner("s", new LockState(3, 1_000, a));
        table.merge("s", new LockState(2, 9_000, b));
        assertThat(table.state("s")).isEqualTo(new LockState(3, 1_000, a));
        table.merge("s", new LockState(3, 4_000, a));
        assertThat(table.state("s")).isEqualTo(new LockState(3, 4_000, a));
        table.merge("s", new LockState(3, 0, null)); // a copy that saw the release: still held, the safe side
        assertThat(table.state("s")).isEqualTo(new LockState(3, 4_000, a));
        table.merge("s", new LockState(5, 0, null));
        assertThat(table.state("s")).isEqualTo(new LockState(5, 0, null));
    }

    @Test
    void theSameTokenGrantedOnBothSidesOfAPartitionFencesBothHolders() {
        table.fromOwner("s", new LockState(4, 1_000, a));
        table.merge("s", new LockState(4, 3_000, b));

        assertThat(table.state("s")).isEqualTo(new LockState(5, 3_000, null));
        assertThat(table.isLatest("s", 4)).isFalse();
        assertThat(table.tryGrant("s", 1_000, a, 1)).isInstanceOf(LockAttempt.Held.class);
        clock.addAndGet(3_000);
        assertThat(table.tryGrant("s", 1_000, a, 1)).isEqualTo(new LockAttempt.Granted(6, 1));
    }

    @Test
    void theLocksOfDepartedHoldersAreReleasedAtOnce() {
        table.tryGrant("s1", 60_000, a, 1);
        table.tryGrant("s2", 60_000, b, 1);
        table.fromOwner("s3", new LockState(9, 60_000, null)); // holder not known: its lease runs

        assertThat(table.releaseDeparted(List.of(b))).isEqualTo(1);

        assertThat(table.state("s1")).isEqualTo(new LockState(1, 0, null));
        assertThat(table.state("s2")).isEqualTo(new LockState(1, 60_000, b));
        assertThat(table.state("s3")).isEqualTo(new LockState(9, 60_000, null));
        assertThat(table.tryGrant("s1", 1_000, b, 1)).isEqualTo(new LockAttempt.Granted(2, 1));
    }

    @Test
    void anEndlessLeaseOnANegativeClockStaysHeldAndTravelsAsEndless() {
        table.tryGrant("s", Long.MAX_VALUE, a, 1);
        assertThat(table.tryGrant("s", 1, b, 1)).isEqualTo(new LockAttempt.Held(Long.MAX_VALUE));
        assertThat(table.state("s")).isEqualTo(new LockState(1, Long.MAX_VALUE, a));
    }

    @Test
    void aForgottenSessionStartsOverAndAnEndlessLeaseSaturates() {
        clock.set(Long.MAX_VALUE - 10);
        table.tryGrant("s", Long.MAX_VALUE, a, 1);
        assertThat(table.tryGrant("s", 1, b, 1)).isEqualTo(new LockAttempt.Held(10));
        table.forget("s");
        assertThat(table.size()).isZero();
        assertThat(table.tryGrant("s", 1, b, 1)).isEqualTo(new LockAttempt.Granted(1, 1));
    }
}
