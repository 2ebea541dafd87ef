package io.sessioncluster.core.codec;

/**
 * Turns one attribute value into bytes and back. One codec serves one web application: it resolves
 * classes through that application's class loader and refuses classes outside its {@link ClassAllowList}.
 * Implementations are thread-safe.
 *
 * <p>Encoded bytes start with a format byte naming the codec, so bytes written by another codec are
 * reported as {@link CodecException.Reason#WRONG_FORMAT} rather than misread.
 */
public interface AttributeCodec {

    /**
     * Encodes {@code value}.
     *
     * @throws CodecException {@code CLASS_NOT_ALLOWED} if the value or anything it references is outside the
     *                        allow-list, {@code TOO_LARGE} above the size limit, {@code NOT_ENCODABLE} otherwise
     */
    byte[] encode(Object value);

    /**
     * Decodes bytes written by {@link #encode}. Never loads a class outside the allow-list.
     *
     * @throws CodecException {@code CLASS_NOT_ALLOWED}, {@code CLASS_NOT_FOUND} (the class is allowed but
     *                        missing on this node), {@code TOO_LARGE}, {@code WRONG_FORMAT} or {@code CORRUPT}
     */
    Object decode(byte[] bytes);

    /**
     * {@link Fingerprint#of} the bytes {@link #encode} would return, for a check that needs no bytes: a codec may
     * hash its buffer in place instead of copying it out.
     *
     * @throws CodecException as {@link #encode}
     */
    default long fingerprint(Object value) {
        return Fingerprint.of(encode(value));
    }

    /**
     * A cheap early check, at {@code setAttribute} time, that the value's own class is allowed; the classes
     * it references are checked when it is encoded.
     *
     * @throws CodecException {@code CLASS_NOT_ALLOWED}
     */
    void checkAllowed(Object value);
}
