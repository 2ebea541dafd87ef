package io.sessioncluster.core.codec;

import io.sessioncluster.core.Loggers;

import java.io.ByteArrayOutputStream;

/** Checks shared by every codec: the format byte, the size limit, and the allow-list at set time. */
final class CodecFormat {

    private static final System.Logger LOG = Loggers.of(CodecFormat.class);

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
            throw notAllowed(allowList, value.getClass().getName());
        }
    }

    /**
     * The one message for a class outside the allow-list, whichever codec and direction met it. The first refusal
     * of each class is also logged once, with the exact {@code allowedClasses} value that would admit it: an
     * application's own error handling may swallow the exception.
     */
    static CodecException notAllowed(ClassAllowList allowList, String className) {
        String suggestion = allowList.suggestionFor(className);
        if (allowList.firstRefusal(className)) {
            LOG.log(System.Logger.Level.WARNING, "Class [" + className + "] is refused by the session's allow-list; "
                    + "if it is meant to be stored in the session, set allowedClasses=\"" + suggestion + "\"");
        }
        return new CodecException(CodecException.Reason.CLASS_NOT_ALLOWED, "class [" + className
                + "] is not in allowedClasses; to store it in the session, set allowedClasses=\"" + suggestion + "\"");
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
