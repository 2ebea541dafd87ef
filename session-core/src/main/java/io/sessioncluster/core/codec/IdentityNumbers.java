package io.sessioncluster.core.codec;

/**
 * Numbers the objects of one walk by identity, in the order met, as Kryo numbers its references: an open-addressing
 * table at most half full, looked up and filled in one probe. Emptied in time proportional to what one walk put in,
 * not to the table's size: clearing a whole table with {@code Arrays.fill} after every walk (Kryo's map) was a sixth
 * of a request's CPU under G1, whose barrier runs for every slot written.
 *
 * <p>Not thread-safe: one per walker.
 */
final class IdentityNumbers {

    private Object[] keys;
    private int[] numbers;
    /** Slots filled since the last {@link #clear}, in the order filled. */
    private int[] filled;
    private int size;
    private int mask;

    IdentityNumbers(int capacity) {
        int slots = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1;
        keys = new Object[slots];
        numbers = new int[slots];
        filled = new int[slots / 2];
        mask = slots - 1;
    }

    /** The number of {@code key} if it was met before; otherwise numbers it (0, 1, 2, ... in order) and returns -1. */
    int numberOrAdd(Object key) {
        int slot = slot(key);
        while (true) {
            Object present = keys[slot];
            if (present == null) {
                break;
            }
            if (present == key) {
                return numbers[slot];
            }
            slot = (slot + 1) & mask;
        }
        if (size + 1 > filled.length) {
            grow();
            slot = slot(key);
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
        }
        keys[slot] = key;
        numbers[slot] = size;
        filled[size++] = slot;
        return -1;
    }

    /** Forgets every object met: the table keeps no reference to a session's objects between walks. */
    void clear() {
        for (int i = 0; i < size; i++) {
            keys[filled[i]] = null;
        }
        size = 0;
    }

    private int slot(Object key) {
        return (System.identityHashCode(key) * 0x9E3779B9) >>> 7 & mask;
    }

    private void grow() {
        Object[] oldKeys = keys;
        int[] oldNumbers = numbers;
        int[] oldFilled = filled;
        int count = size;
        int slots = oldKeys.length * 2;
        keys = new Object[slots];
        numbers = new int[slots];
        filled = new int[slots / 2];
        mask = slots - 1;
        size = 0;
        for (int i = 0; i < count; i++) {
            Object key = oldKeys[oldFilled[i]];
            int slot = slot(key);
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            numbers[slot] = oldNumbers[oldFilled[i]];
            filled[size++] = slot;
        }
    }
}
