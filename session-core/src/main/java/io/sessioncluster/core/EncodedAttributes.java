package io.sessioncluster.core;

import java.util.Arrays;
import java.util.Map;

/** What {@link SessionRecord} and {@link ChangeSet} both need of a map of encoded attribute values. */
final class EncodedAttributes {

    private EncodedAttributes() {
    }

    /** Total encoded size, for size limits and metrics. */
    static long totalBytes(Map<String, byte[]> attributes) {
        long total = 0;
        for (byte[] value : attributes.values()) {
            total += value.length;
        }
        return total;
    }

    /** Same names with the same bytes: records compare arrays by identity, which is not what callers mean. */
    static boolean equal(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
