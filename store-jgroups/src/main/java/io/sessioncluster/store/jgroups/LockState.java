package io.sessioncluster.store.jgroups;

import org.jgroups.Address;

/**
 * A session's cluster-wide lock as it travels between members (the {@code lock} of {@link Wire}): the latest
 * fencing token, how long the lease of that grant still runs, and who holds it. The lease travels as a remaining
 * duration, not as a point in time, so that no two members' clocks are ever compared: the receiver adds it to its
 * own clock when the message arrives, which can only make its lease end later than the sender's (the transfer
 * time adds to it), never earlier. See {@link LockTable}.
 *
 * @param token           the latest grant of the session; {@code 0}: never locked
 * @param remainingMillis how long that grant's lease still runs; {@code 0}: released, or ran out
 * @param holder          the member that holds it; null when released, or not known (after a merge conflict)
 */
record LockState(long token, long remainingMillis, Address holder) {

    /** A session that was never locked. */
    static final LockState NONE = new LockState(0, 0, null);

    LockState {
        if (token < 0 || remainingMillis < 0) {
            throw new IllegalArgumentException("lock state token " + token + ", lease " + remainingMillis + " ms");
        }
        if (token == 0 && (remainingMillis != 0 || holder != null)) {
            throw new IllegalArgumentException("a lease without a token");
        }
        if (remainingMillis == 0 && holder != null) {
            throw new IllegalArgumentException("a holder without a lease");
        }
    }

    boolean held() {
        return remainingMillis > 0;
    }
}
