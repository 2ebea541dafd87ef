package io.sessioncluster.core.codec;

import net.openhft.hashing.LongHashFunction;

/**
 * A 64-bit XXH3 hash of an attribute's encoded form. Comparing fingerprints at the end of a request
 * finds attributes that were mutated in place without {@code setAttribute}, without keeping a copy of
 * every encoded value.
 */
public final class Fingerprint {

    private static final LongHashFunction XX3 = LongHashFunction.xx3();

    private Fingerprint() {
    }

    public static long of(byte[] encoded) {
        return XX3.hashBytes(encoded);
    }

    /** The fingerprint of {@code length} encoded bytes at {@code offset}: equal to {@link #of} those bytes. */
    static long of(byte[] buffer, int offset, int length) {
        return XX3.hashBytes(buffer, offset, length);
    }
}
