package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.WriteResult;
import org.jgroups.Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.create;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.update;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session lock when members come and go, on real channels over loopback (the rules themselves are the
 * {@code LockingContract}'s): a holder that crashes loses its lock at the view change, long before its lease ends;
 * an owner that leaves or crashes hands the lock over to the next owner, which honours the running lease, knows the
 * token (the old holder goes on writing), and grants a larger one, after which the old token is fenced.
 */
@Timeout(120)
class JGroupsLockingIT {

    /** Far longer than any test: a lock that is granted again before it ran out was released, not expired. */
    private static final long LONG_LEASE = 60_000;

    private final JGroupsMembers members = new JGroupsMembers("locking");

    @AfterEach
    void closeNodes() {
        members.close();
    }

    private JGroupsSessionStore node(String replication) {
        return members.node(replication);
    }

    @ParameterizedTest(name = "{0}, the holder is the owner: {1}")
    @CsvSource({"all, false", "all, true", "primary-backup, false", "primary-backup, true"})
    void aHolderThatCrashesLosesItsLockAtTheViewChangeBeforeItsLeaseEnds(String replication, boolean holderIsOwner) {
        JGroupsSessionStore a = node(replication);
        JGroupsSessionStore b = node(replication);
        JGroupsSessionStore c = node(replication);
        String id = ownedBy(a, "crash");
        assertThat(c.write(create(id, "cart", "1"))).isEqualTo(WriteResult.written(1));
        JGroupsSessionStore holder = holderIsOwner ? a : b;
        JGroupsSessionStore asker = c;
        long first = granted(holder.lock(id, LONG_LEASE));
        assertThat(asker.lock(id, LONG_LEASE)).isInstanceOf(LockAttempt.Held.class);
        long crashedAt = System.nanoTime();

        JGroupsTestNodes.crash(holder);
        members.forget(holder);
        List<JGroupsSessionStore> survivors = new ArrayList<>(members.open());
        JGroupsTestNodes.await(Duration.ofSeconds(20),
                () -> survivors.stream().allMatch(n -> JGroupsTestNodes.viewSize(n) == 2), "the crash noticed");

        long second = granted(asker.lock(id, LONG_LEASE)); // at once: the first lease has most of its minute left
        assertThat(Duration.ofNanos(System.nanoTime() - crashedAt)).isLessThan(Duration.ofMillis(LONG_LEASE / 2));
        assertThat(second).isGreaterThan(first);
        assertThat(asker.write(update(id, "cart", "2"), new Fence(second, true))).isEqualTo(WriteResult.written(2));
        assertThat(survivors.get(0).lock(id, LONG_LEASE)).isInstanceOf(LockAttempt.Granted.class);
    }

    @ParameterizedTest(name = "{0}, the owner {1}")
    @CsvSource({"all, leaves", "primary-backup, leaves", "primary-backup, crashes"})
    void theNextOwnerHonoursTheLeaseKnowsTheTokenAndGrantsALargerOne(String replication, String how) {
        JGroupsSessionStore owner = node(replication);
        JGroupsSessionStore holder = node(replication);
        JGroupsSessionStore other = node(replication);
        String id = ownedBy(owner, "handover");
        assertThat(holder.write(create(id, "cart", "before"))).isEqualTo(WriteResult.written(1));
        long old = granted(holder.lock(id, LONG_LEASE));

        if (how.equals("crashes")) {
            JGroupsTestNodes.crash(owner);
        } else {
            owner.close();
        }
        members.forget(owner);
        JGroupsTestNodes.await(Duration.ofSeconds(20),
                () -> JGroupsTestNodes.viewSize(holder) == 2 && JGroupsTestNodes.viewSize(other) == 2, "the owner gone");
        Address next = holder.topology().primary(id);
        assertThat(next).isNotEqualTo(owner.channel().address()).isEqualTo(other.topology().primary(id));

        // The lease the old owner granted still runs at the new one (the safe side), and its token is still good.
        LockAttempt meanwhile = other.lock(id, LONG_LEASE);
        assertThat(meanwhile).isInstanceOf(LockAttempt.Held.class);
        assertThat(((LockAttempt.Held) meanwhile).remainingMillis()).isBetween(LONG_LEASE / 2, LONG_LEASE);
        assertThat(holder.write(update(id, "cart", "kept"), new Fence(old, false))).isEqualTo(WriteResult.written(2));

        // The holder pauses past a short lease; the new owner grants the lock again, with a larger token.
        assertThat(holder.renewLock(id, old, 200)).isTrue();
        long fresh = awaitGrant(other, id);
        assertThat(fresh).isGreaterThan(old);

        assertThat(holder.write(update(id, "cart", "stale"), new Fence(old, true))).isEqualTo(WriteResult.fenced());
        assertThat(holder.renewLock(id, old, LONG_LEASE)).isFalse();
        assertThat(value(other.load(id).orElseThrow(), "cart")).isEqualTo("kept");
        assertThat(other.write(update(id, "cart", "after"), new Fence(fresh, true))).isEqualTo(WriteResult.written(3));
        assertThat(value(holder.load(id).orElseThrow(), "cart")).isEqualTo("after");
    }

    /** An id whose primary owner is {@code owner} in every member's picture. */
    private String ownedBy(JGroupsSessionStore owner, String prefix) {
        return JGroupsTestNodes.ownedBy(owner, prefix, 1, members.open()).get(0);
    }

    private static long granted(LockAttempt attempt) {
        assertThat(attempt).isInstanceOf(LockAttempt.Granted.class);
        return ((LockAttempt.Granted) attempt).token();
    }

    private static long awaitGrant(JGroupsSessionStore node, String id) {
        long[] token = new long[1];
        JGroupsTestNodes.await(Duration.ofSeconds(10), () -> {
            if (node.lock(id, LONG_LEASE) instanceof LockAttempt.Granted g) {
                token[0] = g.token();
                return true;
            }
            return false;
        }, "the lock granted again");
        return token[0];
    }
}
