package io.sessioncluster.core.codec;

/** An attribute could not be encoded or decoded. The message names the class, never the value. */
public final class CodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The class is not on the allow-list ({@code allowedClasses}). */
        CLASS_NOT_ALLOWED,
        /** The class is allowed but not present on this node (an older or newer deployment). */
        CLASS_NOT_FOUND,
        /** The bytes exceed {@code maxAttributeBytes}. */
        TOO_LARGE,
        /** The bytes were written by another codec. */
        WRONG_FORMAT,
        /** The bytes cannot be decoded: truncated, garbage, or written by an incompatible class version. */
        CORRUPT,
        /** The value cannot be encoded by this codec. */
        NOT_ENCODABLE
    }

    private final Reason reason;

    public CodecException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CodecException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
