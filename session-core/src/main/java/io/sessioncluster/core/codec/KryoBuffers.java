package io.sessioncluster.core.codec;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo's buffers with the codec's limits built in. Both work on byte arrays only (no streams), so reading past
 * the end fails at once instead of waiting for more data.
 */
final class KryoBuffers {

    private KryoBuffers() {
    }

    /**
     * Bounds every allocation whose size the bytes declare. Kryo allocates an array, a string or a collection as
     * large as a length prefix says before it reads the elements, so garbage such as {@code ff ff ff ff 07} would
     * ask for gigabytes. Two rules keep allocations proportional to the input:
     * <ul>
     *   <li>Flat reads (strings, primitive arrays) allocate at most one element per remaining byte.</li>
     *   <li>Containers whose elements are objects {@link #claim} their element count from a budget of one
     *       element per input byte, shared by the whole graph: every element takes at least one byte, and the
     *       bytes of different elements are distinct, so a valid stream never exceeds it, while nested garbage
     *       containers cannot each claim the whole input again.</li>
     * </ul>
     */
    static final class LimitedInput extends Input {
        private static final byte[] EMPTY = new byte[0];
        private long budget;

        /** Reads {@code bytes} after the format byte. */
        void start(byte[] bytes) {
            setBuffer(bytes, 1, bytes.length - 1);
            budget = bytes.length - 1L;
        }

        /** Drops the reference to the caller's bytes, so a pooled input does not keep session data alive. */
        void release() {
            setBuffer(EMPTY);
            budget = 0;
        }

        /** Claims {@code elements} from the graph-wide budget, see the class comment. */
        static void claim(Input input, long elements) {
            if (input instanceof LimitedInput limited) {
                limited.claim(elements);
            } else {
                requireRemaining(input, elements);
            }
        }

        private void claim(long elements) {
            if (elements < 0 || elements > budget) {
                throw new CodecException(CodecException.Reason.CORRUPT, "container of " + elements
                        + " elements cannot fit in the " + (limit - position) + " bytes left");
            }
            budget -= elements;
        }

        /** Fails unless at least {@code elements} bytes are left: every element takes one byte or more. */
        static void requireRemaining(Input input, long elements) {
            if (elements < 0 || elements > input.limit() - input.position()) {
                throw new CodecException(CodecException.Reason.CORRUPT, "length " + elements
                        + " exceeds the " + (input.limit() - input.position()) + " bytes left");
            }
        }

        /** Peeks at the UTF-8 length prefix (ASCII strings have none and grow with the bytes actually read). */
        @Override
        public String readString() {
            checkStringLength();
            return super.readString();
        }

        @Override
        public StringBuilder readStringBuilder() {
            checkStringLength();
            return super.readStringBuilder();
        }

        private void checkStringLength() {
            int start = position;
            if (readVarIntFlag()) {
                int charCount = readVarIntFlag(true); // 0 is null, 1 is "", n is n - 1 chars
                setPosition(start);
                if (charCount != 0) {
                    requireRemaining(this, charCount - 1L);
                }
            }
        }

        @Override
        public byte[] readBytes(int length) {
            requireRemaining(this, length);
            return super.readBytes(length);
        }

        @Override
        public int[] readInts(int length) {
            requireRemaining(this, length);
            return super.readInts(length);
        }

        @Override
        public int[] readInts(int length, boolean optimizePositive) {
            requireRemaining(this, length);
            return super.readInts(length, optimizePositive);
        }

        @Override
        public long[] readLongs(int length) {
            requireRemaining(this, length);
            return super.readLongs(length);
        }

        @Override
        public long[] readLongs(int length, boolean optimizePositive) {
            requireRemaining(this, length);
            return super.readLongs(length, optimizePositive);
        }

        @Override
        public float[] readFloats(int length) {
            requireRemaining(this, length);
            return super.readFloats(length);
        }

        @Override
        public double[] readDoubles(int length) {
            requireRemaining(this, length);
            return super.readDoubles(length);
        }

        @Override
        public short[] readShorts(int length) {
            requireRemaining(this, length);
            return super.readShorts(length);
        }

        @Override
        public char[] readChars(int length) {
            requireRemaining(this, length);
            return super.readChars(length);
        }

        @Override
        public boolean[] readBooleans(int length) {
            requireRemaining(this, length);
            return super.readBooleans(length);
        }
    }

    /** Fails with {@code TOO_LARGE} the moment a value would pass the limit, before growing the buffer. */
    static final class LimitedOutput extends Output {
        private final int maxBytes;

        /** @param maxBytes the codec's limit, not counting the format byte */
        LimitedOutput(int initialBytes, int maxBytes) {
            super(Math.min(initialBytes, maxBytes + 1), maxBytes + 1);
            this.maxBytes = maxBytes;
        }

        @Override
        protected boolean require(int required) {
            if (capacity - position >= required) {
                return false;
            }
            if (required > maxCapacity - position) {
                throw new CodecException(CodecException.Reason.TOO_LARGE,
                        "encoded attribute exceeds maxAttributeBytes " + maxBytes);
            }
            return super.require(required);
        }
    }
}
