package io.sessioncluster.core.codec;

import java.io.ByteArrayOutputStream;

/** Checks shared by every codec: the format byte, the size limit, and the allow-list at set time. */
final class CodecFormat {

    private CodecFormat() {
    }

    static void check(byte[] bytes, byte expectedFormat, int maxBytes) {
        if (bytes == null || bytes.length < 2) {
            throw new CodecException(CodecException.Reason.CORRUPT, "encoded attribute is empty or truncated");
        }
        if (bytes.length > maxBytes + 1) {
            throw new CodecException(CodecException.Reason.TOO_LARGE,
                    "encoded attribute of " + bytes.length + " bytes exceeds maxAttributeBytes " + maxBytes);
        }
        if (bytes[0] != expectedFormat) {
            throw new CodecException(CodecException.Reason.WRONG_FORMAT, "attribute was encoded by codec ["
                    + describe(bytes[0]) + "], this node uses [" + describe(expectedFormat) + "]");
        }
    }

    static void checkAllowed(ClassAllowList allowList, Object value) {
        if (value != null && !allowList.allows(value.getClass())) {
            throw notAllowed(value.getClass().getName());
        }
    }

    /** The one message for a class outside the allow-list, whichever codec and direction met it. */
    static CodecException notAllowed(String className) {
        return new CodecException(CodecException.Reason.CLASS_NOT_ALLOWED, "class [" + className
                + "] is not in allowedClasses; add it (or its package as package.*) to store it in the session");
    }

    private static String describe(byte format) {
        return switch (format) {
            case KryoAttributeCodec.FORMAT -> "kryo";
            case JavaAttributeCodec.FORMAT -> "java";
            default -> String.format("unknown 0x%02x", format & 0xff);
        };
    }

    /** Fails with {@code TOO_LARGE} as soon as the limit is passed, instead of buffering a huge value first. */
    static final class BoundedOutput extends ByteArrayOutputStream {
        private final int maxBytes;

        BoundedOutput(int maxBytes) {
            super(256);
            this.maxBytes = maxBytes;
        }

        @Override
        public synchronized void write(int b) {
            ensureRoom(1);
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            ensureRoom(len);
            super.write(b, off, len);
        }

        private void ensureRoom(int len) {
            if (count + len > maxBytes + 1) {
                throw new CodecException(CodecException.Reason.TOO_LARGE,
                        "encoded attribute exceeds maxAttributeBytes " + maxBytes);
            }
        }
    }
}
