package io.sessioncluster.core;

/**
 * What a write does with the session's cluster-wide lock (see {@link LockAttempt}).
 *
 * @param token   the fencing token of the writer's grant; {@code 0}: the writer holds no lock and the write is not
 *                fenced
 * @param release also release the lock, in the same atomic step as the write
 */
public record Fence(long token, boolean release) {

    /** A write without a lock. */
    public static final Fence NONE = new Fence(0, false);

    public Fence {
        if (token < 0) {
            throw new IllegalArgumentException("fencing token " + token);
        }
        if (token == 0 && release) {
            throw new IllegalArgumentException("nothing to release without a token");
        }
    }

    public boolean isFenced() {
        return token != 0;
    }
}
