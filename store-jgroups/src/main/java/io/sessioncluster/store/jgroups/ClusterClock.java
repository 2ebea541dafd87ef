package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.jgroups.Address;
import org.jgroups.SuspectedException;
import org.jgroups.UnreachableException;
import org.jgroups.View;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The cluster's clock ({@link SessionStore#storeTimeMillis}): the wall clock of the current view's coordinator, asked
 * with {@code TIME} (read in this JVM when this member is the coordinator). Every node measures its offset to it
 * (the Tomcat layer's {@code StoreClock}, every 10 s) and converts every time it gives the store, so the access
 * times, the "now" of every expiry claim and every {@code expiresAt} are on this one clock.
 *
 * <h2>Why the coordinator, not each session's owner</h2>
 * The SPI has one clock per store, read without a session, and a node keeps one offset to it. With each owner's
 * clock a node would need an offset per member, would have to convert each time by the offset of the member that owns
 * that session, and a time written under one owner would be read under another after every rebalancing or failover.
 * One clock for every node keeps each session's times comparable wherever they were taken; the owner decides an
 * expiry with the times the nodes already converted to it (the claim's {@code now}, the access times it holds), so
 * the owner's own clock plays no part.
 *
 * <h2>Coordinator changes</h2>
 * When the coordinator leaves, or a merge picks another one, the next {@code TIME} reads the new coordinator's clock:
 * each node's offset follows within one measurement (10 s). Meanwhile nodes may be on the old and the new clock at
 * once, so an expiry decision may move by the two clocks' difference (none with NTP-synchronized hosts). During a
 * partition each side is on its own coordinator's clock; which side may expire a session does not depend on it
 * ({@link PartitionGuard}).
 */
final class ClusterClock {

    private static final byte[] REQUEST = new Wire.Out(Kind.TIME).bytes();

    private final Supplier<View> view;
    private final Supplier<Address> self;
    private final Messaging messaging;
    private final LongSupplier wallClock;
    private final long timeoutMillis;
    private final int maxMessageBytes;

    ClusterClock(Supplier<View> view, Supplier<Address> self, Messaging messaging, LongSupplier wallClock,
                 long timeoutMillis, int maxMessageBytes) {
        this.view = view;
        this.self = self;
        this.messaging = messaging;
        this.wallClock = wallClock;
        this.timeoutMillis = timeoutMillis;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The coordinator's clock now, epoch ms; asks the next coordinator if this one leaves meanwhile.
     *
     * @throws StoreUnavailableException if no coordinator answered within the timeout
     * @throws StoreException if the answer is malformed
     */
    long now() {
        Deadline deadline = new Deadline(timeoutMillis);
        while (true) {
            View v = view.get();
            Address me = self.get();
            if (v == null || me == null) {
                throw new StoreUnavailableException("not connected to the JGroups cluster: no clock to read", null);
            }
            Address coordinator = v.getCoord();
            if (coordinator.equals(me)) {
                return wallClock.getAsLong();
            }
            byte[] answer;
            try {
                answer = messaging.call(coordinator, REQUEST, deadline.callMillis());
            } catch (SuspectedException | UnreachableException e) {
                if (deadline.passed()) {
                    throw new StoreUnavailableException("no coordinator answered TIME within " + timeoutMillis
                            + " ms", e);
                }
                Deadline.pause(); // it left: the next view names the next coordinator
                continue;
            } catch (Exception e) {
                throw new StoreUnavailableException("the coordinator " + coordinator + " did not answer TIME within "
                        + timeoutMillis + " ms: " + e, e);
            }
            if (answer == null) {
                throw new StoreUnavailableException("the coordinator " + coordinator + " did not answer TIME (closing,"
                        + " or a version without it)", null);
            }
            try {
                return read(answer, maxMessageBytes);
            } catch (Wire.Malformed e) {
                throw new StoreException("malformed answer to TIME from " + coordinator + ": " + e.getMessage());
            }
        }
    }

    /** The coordinator's side: this member's wall clock. */
    byte[] answer(Wire.In in) {
        in.end();
        return new Wire.Out(Kind.R_TIME).i64(wallClock.getAsLong()).bytes();
    }

    /** An {@code R_TIME} answer: one positive clock reading, nothing else. */
    static long read(byte[] answer, int maxMessageBytes) {
        Wire.In in = new Wire.In(answer, maxMessageBytes);
        if (in.kind != Kind.R_TIME) {
            throw new Wire.Malformed("unexpected answer " + in.kind + " to TIME");
        }
        long time = in.positive("clock reading");
        in.end();
        return time;
    }
}
